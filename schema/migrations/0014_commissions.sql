CREATE TABLE `commission_movements` (
	`id` text PRIMARY KEY NOT NULL,
	`commission_id` text NOT NULL,
	`kind` text NOT NULL,
	`amount_fen` integer NOT NULL,
	`refund_id` text,
	`gate` integer NOT NULL,
	`created_at` integer NOT NULL,
	CONSTRAINT "commission_movements_gate" CHECK(gate = 1)
);
--> statement-breakpoint
CREATE INDEX `commission_movements_commission_idx` ON `commission_movements` (`commission_id`);--> statement-breakpoint
CREATE TABLE `commissions` (
	`id` text PRIMARY KEY NOT NULL,
	`order_id` text NOT NULL,
	`earner_id` text NOT NULL,
	`buyer_id` text NOT NULL,
	`level` integer NOT NULL,
	`tier` text NOT NULL,
	`rate_bps` integer NOT NULL,
	`base_fen` integer NOT NULL,
	`amount_fen` integer NOT NULL,
	`cancelled_fen` integer DEFAULT 0 NOT NULL,
	`settled_fen` integer DEFAULT 0 NOT NULL,
	`clawed_back_fen` integer DEFAULT 0 NOT NULL,
	`status` text NOT NULL,
	`available_at` integer NOT NULL,
	`version` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	CONSTRAINT "commissions_level" CHECK(level IN (1, 2)),
	CONSTRAINT "commissions_amount_positive" CHECK(amount_fen > 0),
	CONSTRAINT "commissions_moves_within_amount" CHECK(cancelled_fen >= 0 AND settled_fen >= 0 AND cancelled_fen + settled_fen <= amount_fen),
	CONSTRAINT "commissions_clawback_within_settled" CHECK(clawed_back_fen >= 0 AND clawed_back_fen <= settled_fen)
);
--> statement-breakpoint
CREATE INDEX `commissions_earner_created_idx` ON `commissions` (`earner_id`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `commissions_order_idx` ON `commissions` (`order_id`);--> statement-breakpoint
CREATE INDEX `commissions_due_idx` ON `commissions` (`available_at`) WHERE status = 'frozen';--> statement-breakpoint
CREATE TABLE `invite_posters` (
	`member_id` text PRIMARY KEY NOT NULL,
	`object_key` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `member_spend` (
	`member_id` text PRIMARY KEY NOT NULL,
	`lifetime_fen` integer DEFAULT 0 NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `partner_applications` (
	`id` text PRIMARY KEY NOT NULL,
	`member_id` text NOT NULL,
	`note` text DEFAULT '' NOT NULL,
	`status` text NOT NULL,
	`decided_by` text,
	`decision_reason` text,
	`created_at` integer NOT NULL,
	`decided_at` integer
);
--> statement-breakpoint
CREATE INDEX `partner_applications_status_idx` ON `partner_applications` (`status`,`created_at`);--> statement-breakpoint
CREATE INDEX `partner_applications_member_idx` ON `partner_applications` (`member_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `tier_changes` (
	`id` text PRIMARY KEY NOT NULL,
	`member_id` text NOT NULL,
	`from_tier` text NOT NULL,
	`to_tier` text NOT NULL,
	`reason` text NOT NULL,
	`source` text NOT NULL,
	`actor_id` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `tier_changes_member_idx` ON `tier_changes` (`member_id`,`created_at`);--> statement-breakpoint
ALTER TABLE `orders` ADD `referrer1_id` text;--> statement-breakpoint
ALTER TABLE `orders` ADD `referrer2_id` text;--> statement-breakpoint
ALTER TABLE `orders` ADD `commission_plan` text DEFAULT '[]' NOT NULL;