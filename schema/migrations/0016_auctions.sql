CREATE TABLE `lot_bids` (
	`id` text PRIMARY KEY NOT NULL,
	`lot_id` text NOT NULL,
	`seq` integer NOT NULL,
	`member_id` text NOT NULL,
	`amount_fen` integer NOT NULL,
	`kind` text NOT NULL,
	`placed_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `lot_bids_lot_seq_idx` ON `lot_bids` (`lot_id`,`seq`);--> statement-breakpoint
CREATE INDEX `lot_bids_member_idx` ON `lot_bids` (`member_id`,`lot_id`);--> statement-breakpoint
CREATE TABLE `lot_deposits` (
	`lot_id` text NOT NULL,
	`member_id` text NOT NULL,
	`order_id` text NOT NULL,
	`amount_fen` integer NOT NULL,
	`hold_transfer_id` text,
	`status` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`lot_id`, `member_id`)
);
--> statement-breakpoint
CREATE INDEX `lot_deposits_member_idx` ON `lot_deposits` (`member_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `lot_deposits_status_idx` ON `lot_deposits` (`status`,`lot_id`);--> statement-breakpoint
CREATE TABLE `lot_images` (
	`id` text PRIMARY KEY NOT NULL,
	`lot_id` text NOT NULL,
	`object_key` text NOT NULL,
	`content_type` text NOT NULL,
	`bytes` integer NOT NULL,
	`position` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `lot_images_lot_idx` ON `lot_images` (`lot_id`,`position`);--> statement-breakpoint
CREATE UNIQUE INDEX `lot_images_key_idx` ON `lot_images` (`object_key`);--> statement-breakpoint
CREATE TABLE `lot_sales` (
	`lot_id` text PRIMARY KEY NOT NULL,
	`winner_member_id` text NOT NULL,
	`price_fen` integer NOT NULL,
	`order_id` text,
	`status` text NOT NULL,
	`payment_due_at` integer NOT NULL,
	`shipping_address` text,
	`carrier` text,
	`tracking_no` text,
	`shipped_at` integer,
	`settlement_id` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	CONSTRAINT "lot_sales_price_positive" CHECK(price_fen > 0)
);
--> statement-breakpoint
CREATE INDEX `lot_sales_status_due_idx` ON `lot_sales` (`status`,`payment_due_at`);--> statement-breakpoint
CREATE INDEX `lot_sales_winner_idx` ON `lot_sales` (`winner_member_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `lot_settlements` (
	`id` text PRIMARY KEY NOT NULL,
	`lot_id` text NOT NULL,
	`gate` integer NOT NULL,
	`created_at` integer NOT NULL,
	CONSTRAINT "lot_settlements_gate" CHECK(gate = 1)
);
--> statement-breakpoint
CREATE TABLE `lots` (
	`id` text PRIMARY KEY NOT NULL,
	`title` text NOT NULL,
	`instructor` text DEFAULT '' NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`start_price_fen` integer NOT NULL,
	`reserve_price_fen` integer,
	`increment_ladder` text NOT NULL,
	`deposit_fen` integer DEFAULT 0 NOT NULL,
	`starts_at` integer NOT NULL,
	`ends_at` integer NOT NULL,
	`anti_snipe_window_sec` integer DEFAULT 0 NOT NULL,
	`anti_snipe_extend_sec` integer DEFAULT 0 NOT NULL,
	`anti_snipe_max_extensions` integer DEFAULT 0 NOT NULL,
	`payment_deadline_hours` integer DEFAULT 72 NOT NULL,
	`commissionable` integer DEFAULT false NOT NULL,
	`status` text DEFAULT 'open' NOT NULL,
	`current_price_fen` integer,
	`bid_count` integer DEFAULT 0 NOT NULL,
	`leader_member_id` text,
	`closes_at` integer NOT NULL,
	`live_seq` integer DEFAULT 0 NOT NULL,
	`winner_member_id` text,
	`hammer_price_fen` integer,
	`ended_at` integer,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	CONSTRAINT "lots_prices" CHECK(start_price_fen > 0 AND (reserve_price_fen IS NULL OR reserve_price_fen >= start_price_fen) AND deposit_fen >= 0),
	CONSTRAINT "lots_times" CHECK(ends_at > starts_at AND closes_at >= ends_at)
);
--> statement-breakpoint
CREATE INDEX `lots_status_starts_idx` ON `lots` (`status`,`starts_at`,`id`);--> statement-breakpoint
CREATE INDEX `lots_status_closes_idx` ON `lots` (`status`,`closes_at`);