CREATE INDEX `members_created_idx` ON `members` (`created_at`);--> statement-breakpoint
CREATE INDEX `orders_paid_idx` ON `orders` (`paid_at`,`amount_fen`);--> statement-breakpoint
CREATE INDEX `refunds_status_settled_idx` ON `refunds` (`status`,`settled_at`,`amount_fen`);--> statement-breakpoint
CREATE INDEX `commissions_created_idx` ON `commissions` (`created_at`,`amount_fen`);