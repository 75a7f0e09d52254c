CREATE TABLE `accounts` (
	`id` text PRIMARY KEY NOT NULL,
	`code` text NOT NULL,
	`owner` text,
	`flags` integer DEFAULT 0 NOT NULL,
	`debits_posted` integer DEFAULT 0 NOT NULL,
	`credits_posted` integer DEFAULT 0 NOT NULL,
	`debits_pending` integer DEFAULT 0 NOT NULL,
	`credits_pending` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	CONSTRAINT "accounts_balances_not_negative" CHECK("accounts"."debits_posted" >= 0 AND "accounts"."credits_posted" >= 0 AND "accounts"."debits_pending" >= 0 AND "accounts"."credits_pending" >= 0),
	CONSTRAINT "accounts_flags_exclusive" CHECK("accounts"."flags" IN (0, 1, 2)),
	CONSTRAINT "accounts_debits_must_not_exceed_credits" CHECK(("accounts"."flags" & 1) = 0 OR "accounts"."debits_posted" + "accounts"."debits_pending" <= "accounts"."credits_posted"),
	CONSTRAINT "accounts_credits_must_not_exceed_debits" CHECK(("accounts"."flags" & 2) = 0 OR "accounts"."credits_posted" + "accounts"."credits_pending" <= "accounts"."debits_posted")
);
--> statement-breakpoint
CREATE INDEX `accounts_owner_idx` ON `accounts` (`owner`,`code`);--> statement-breakpoint
CREATE TABLE `open_pending_transfers` (
	`transfer_id` text PRIMARY KEY NOT NULL,
	`timeout_at` integer,
	FOREIGN KEY (`transfer_id`) REFERENCES `transfers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `open_pending_transfers_timeout_idx` ON `open_pending_transfers` (`timeout_at`);--> statement-breakpoint
CREATE TABLE `transfers` (
	`seq` integer PRIMARY KEY NOT NULL,
	`id` text NOT NULL,
	`debit_account_id` text NOT NULL,
	`credit_account_id` text NOT NULL,
	`amount` integer NOT NULL,
	`code` text NOT NULL,
	`reference` text NOT NULL,
	`pending_id` text,
	`flags` integer DEFAULT 0 NOT NULL,
	`timeout_at` integer,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`debit_account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`credit_account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`pending_id`) REFERENCES `transfers`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "transfers_amount_positive" CHECK("transfers"."amount" > 0),
	CONSTRAINT "transfers_distinct_accounts" CHECK("transfers"."debit_account_id" <> "transfers"."credit_account_id"),
	CONSTRAINT "transfers_flags_known" CHECK("transfers"."flags" IN (0, 1, 2, 4)),
	CONSTRAINT "transfers_pending_id_iff_resolution" CHECK(("transfers"."pending_id" IS NOT NULL) = ("transfers"."flags" IN (2, 4))),
	CONSTRAINT "transfers_timeout_only_on_pending" CHECK("transfers"."timeout_at" IS NULL OR "transfers"."flags" = 1)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `transfers_id_unique` ON `transfers` (`id`);--> statement-breakpoint
CREATE INDEX `transfers_debit_account_idx` ON `transfers` (`debit_account_id`,`seq`);--> statement-breakpoint
CREATE INDEX `transfers_credit_account_idx` ON `transfers` (`credit_account_id`,`seq`);--> statement-breakpoint
CREATE INDEX `transfers_reference_idx` ON `transfers` (`reference`);--> statement-breakpoint
CREATE UNIQUE INDEX `transfers_pending_id_unique` ON `transfers` (`pending_id`);