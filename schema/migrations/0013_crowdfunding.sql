CREATE TABLE `dividend_allocations` (
	`id` text PRIMARY KEY NOT NULL,
	`amount_fen` integer NOT NULL,
	`reason` text NOT NULL,
	`actor_id` text NOT NULL,
	`covered` integer NOT NULL,
	`created_at` integer NOT NULL,
	CONSTRAINT "dividend_allocations_positive" CHECK(amount_fen > 0),
	CONSTRAINT "dividend_allocations_covered" CHECK(covered = 1)
);
--> statement-breakpoint
CREATE TABLE `dividend_declarations` (
	`id` text PRIMARY KEY NOT NULL,
	`period` text NOT NULL,
	`round_scope` text DEFAULT '' NOT NULL,
	`amount_fen` integer NOT NULL,
	`total_shares` integer NOT NULL,
	`holder_count` integer NOT NULL,
	`status` text NOT NULL,
	`actor_id` text NOT NULL,
	`covered` integer NOT NULL,
	`created_at` integer NOT NULL,
	`completed_at` integer,
	CONSTRAINT "dividend_declarations_positive" CHECK(amount_fen > 0 AND total_shares > 0),
	CONSTRAINT "dividend_declarations_covered" CHECK(covered = 1)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `dividend_declarations_period` ON `dividend_declarations` (`period`,`round_scope`);--> statement-breakpoint
CREATE INDEX `dividend_declarations_status_idx` ON `dividend_declarations` (`status`);--> statement-breakpoint
CREATE TABLE `dividend_lines` (
	`declaration_id` text NOT NULL,
	`member_id` text NOT NULL,
	`shares` integer NOT NULL,
	`amount_fen` integer NOT NULL,
	`paid_at` integer,
	PRIMARY KEY(`declaration_id`, `member_id`),
	CONSTRAINT "dividend_lines_amount" CHECK(shares > 0 AND amount_fen >= 0)
);
--> statement-breakpoint
CREATE INDEX `dividend_lines_member_idx` ON `dividend_lines` (`member_id`);--> statement-breakpoint
CREATE TABLE `round_closings` (
	`round_id` text PRIMARY KEY NOT NULL,
	`outcome` text NOT NULL,
	`sold_shares` integer NOT NULL,
	`escrow_fen` integer NOT NULL,
	`gate` integer NOT NULL,
	`created_at` integer NOT NULL,
	CONSTRAINT "round_closings_gate" CHECK(gate = 1)
);
--> statement-breakpoint
CREATE TABLE `round_state_changes` (
	`id` text PRIMARY KEY NOT NULL,
	`round_id` text NOT NULL,
	`from_state` text,
	`to_state` text NOT NULL,
	`actor_id` text NOT NULL,
	`reason` text DEFAULT '' NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `round_state_changes_round_idx` ON `round_state_changes` (`round_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `rounds` (
	`id` text PRIMARY KEY NOT NULL,
	`title` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`risk_disclosure` text NOT NULL,
	`disclosure_version` integer DEFAULT 1 NOT NULL,
	`share_price_fen` integer NOT NULL,
	`total_shares` integer NOT NULL,
	`min_shares` integer DEFAULT 1 NOT NULL,
	`max_shares` integer NOT NULL,
	`target_shares` integer NOT NULL,
	`eligible_tiers` text NOT NULL,
	`tier_on_success` text DEFAULT 'shareholder' NOT NULL,
	`opens_at` integer NOT NULL,
	`closes_at` integer NOT NULL,
	`state` text DEFAULT 'draft' NOT NULL,
	`reserved_shares` integer DEFAULT 0 NOT NULL,
	`sold_shares` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`closed_at` integer,
	`close_id` text,
	CONSTRAINT "rounds_shares_within_total" CHECK(reserved_shares >= 0 AND sold_shares >= 0 AND reserved_shares + sold_shares <= total_shares),
	CONSTRAINT "rounds_terms" CHECK(share_price_fen > 0 AND total_shares > 0 AND min_shares >= 1 AND min_shares <= max_shares AND max_shares <= total_shares AND target_shares >= 1 AND target_shares <= total_shares),
	CONSTRAINT "rounds_window" CHECK(opens_at < closes_at)
);
--> statement-breakpoint
CREATE INDEX `rounds_state_closes_idx` ON `rounds` (`state`,`closes_at`);--> statement-breakpoint
CREATE TABLE `share_holdings` (
	`member_id` text NOT NULL,
	`round_id` text NOT NULL,
	`shares` integer NOT NULL,
	`acquired_at` integer NOT NULL,
	PRIMARY KEY(`member_id`, `round_id`),
	CONSTRAINT "share_holdings_positive" CHECK(shares > 0)
);
--> statement-breakpoint
CREATE INDEX `share_holdings_round_idx` ON `share_holdings` (`round_id`);--> statement-breakpoint
CREATE TABLE `share_subscriptions` (
	`id` text PRIMARY KEY NOT NULL,
	`round_id` text NOT NULL,
	`member_id` text NOT NULL,
	`shares` integer NOT NULL,
	`amount_fen` integer NOT NULL,
	`status` text NOT NULL,
	`order_id` text,
	`disclosure_version` integer NOT NULL,
	`disclosure_acked_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`paid_at` integer,
	CONSTRAINT "share_subscriptions_amount" CHECK(shares > 0 AND amount_fen > 0)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `share_subscriptions_one_live` ON `share_subscriptions` (`round_id`,`member_id`) WHERE status IN ('reserved', 'paid');--> statement-breakpoint
CREATE UNIQUE INDEX `share_subscriptions_order_idx` ON `share_subscriptions` (`order_id`);--> statement-breakpoint
CREATE INDEX `share_subscriptions_round_idx` ON `share_subscriptions` (`round_id`,`status`,`created_at`);--> statement-breakpoint
CREATE INDEX `share_subscriptions_member_idx` ON `share_subscriptions` (`member_id`,`status`);--> statement-breakpoint
CREATE TABLE `shareholder_count` (
	`id` text PRIMARY KEY NOT NULL,
	`holders` integer DEFAULT 0 NOT NULL,
	`cap` integer DEFAULT 200 NOT NULL,
	CONSTRAINT "shareholder_count_within_cap" CHECK(holders >= 0 AND holders <= cap AND cap <= 200)
);
