CREATE TABLE `payee_profiles` (
	`member_id` text PRIMARY KEY NOT NULL,
	`real_name_ciphertext` text NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `withdrawal_days` (
	`member_id` text NOT NULL,
	`day` text NOT NULL,
	`count` integer NOT NULL,
	`amount_fen` integer NOT NULL,
	`max_count` integer NOT NULL,
	`max_amount_fen` integer NOT NULL,
	PRIMARY KEY(`member_id`, `day`),
	CONSTRAINT "withdrawal_days_count_limit" CHECK(count <= max_count),
	CONSTRAINT "withdrawal_days_amount_limit" CHECK(amount_fen <= max_amount_fen)
);
--> statement-breakpoint
CREATE TABLE `withdrawal_transitions` (
	`id` text PRIMARY KEY NOT NULL,
	`withdrawal_id` text NOT NULL,
	`status` text NOT NULL,
	`gate` integer NOT NULL,
	`created_at` integer NOT NULL,
	CONSTRAINT "withdrawal_transitions_gate" CHECK(gate = 1)
);
--> statement-breakpoint
CREATE TABLE `withdrawals` (
	`id` text PRIMARY KEY NOT NULL,
	`member_id` text NOT NULL,
	`amount_fen` integer NOT NULL,
	`fee_fen` integer NOT NULL,
	`net_fen` integer NOT NULL,
	`status` text NOT NULL,
	`status_reason` text,
	`day` text NOT NULL,
	`requires_second_approval` integer NOT NULL,
	`first_approver_person` text,
	`first_approver_id` text,
	`first_approved_at` integer,
	`approver_person` text,
	`approver_id` text,
	`approved_at` integer,
	`rejected_by` text,
	`transfer_bill_no` text,
	`wechat_state` text,
	`package_info` text,
	`last_error` text,
	`transition_id` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`finished_at` integer,
	CONSTRAINT "withdrawals_amounts" CHECK(amount_fen > 0 AND fee_fen >= 0 AND net_fen > 0 AND fee_fen + net_fen = amount_fen)
);
--> statement-breakpoint
CREATE INDEX `withdrawals_member_created_idx` ON `withdrawals` (`member_id`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `withdrawals_status_created_idx` ON `withdrawals` (`status`,`created_at`);--> statement-breakpoint
CREATE INDEX `withdrawals_created_idx` ON `withdrawals` (`created_at`);--> statement-breakpoint
CREATE INDEX `withdrawals_status_finished_idx` ON `withdrawals` (`status`,`finished_at`);--> statement-breakpoint
ALTER TABLE `members` ADD `phone_ciphertext` text;--> statement-breakpoint
ALTER TABLE `members` ADD `phone_hash` text;--> statement-breakpoint
CREATE INDEX `members_phone_hash_idx` ON `members` (`phone_hash`);