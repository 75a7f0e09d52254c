CREATE TABLE `orders` (
	`id` text PRIMARY KEY NOT NULL,
	`member_id` text NOT NULL,
	`course_id` text NOT NULL,
	`description` text NOT NULL,
	`amount_fen` integer NOT NULL,
	`status` text NOT NULL,
	`prepay_id` text,
	`transaction_id` text,
	`fulfilment_id` text,
	`refunded_fen` integer DEFAULT 0 NOT NULL,
	`refund_pending_fen` integer DEFAULT 0 NOT NULL,
	`refund_count` integer DEFAULT 0 NOT NULL,
	`expires_at` integer NOT NULL,
	`paid_at` integer,
	`closed_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	CONSTRAINT "orders_amount_positive" CHECK(amount_fen > 0),
	CONSTRAINT "orders_refunds_within_amount" CHECK(refunded_fen >= 0 AND refund_pending_fen >= 0 AND refunded_fen + refund_pending_fen <= amount_fen)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `orders_one_open_per_course` ON `orders` (`member_id`,`course_id`) WHERE status = 'pending';--> statement-breakpoint
CREATE INDEX `orders_member_created_idx` ON `orders` (`member_id`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `orders_status_created_idx` ON `orders` (`status`,`created_at`);--> statement-breakpoint
CREATE TABLE `pay_settlements` (
	`id` text PRIMARY KEY NOT NULL,
	`order_id` text NOT NULL,
	`wechat_id` text NOT NULL,
	`gate` integer NOT NULL,
	`created_at` integer NOT NULL,
	CONSTRAINT "pay_settlements_gate" CHECK(gate = 1)
);
--> statement-breakpoint
CREATE TABLE `refunds` (
	`id` text PRIMARY KEY NOT NULL,
	`order_id` text NOT NULL,
	`amount_fen` integer NOT NULL,
	`reason` text NOT NULL,
	`status` text NOT NULL,
	`wechat_refund_id` text,
	`settlement_id` text,
	`requested_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`settled_at` integer,
	CONSTRAINT "refunds_amount_positive" CHECK(amount_fen > 0)
);
--> statement-breakpoint
CREATE INDEX `refunds_order_idx` ON `refunds` (`order_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `refunds_status_idx` ON `refunds` (`status`,`created_at`);