DROP INDEX `members_referrer_idx`;--> statement-breakpoint
ALTER TABLE `members` ADD `referrer2_id` text;--> statement-breakpoint
CREATE INDEX `members_referrer_joined_idx` ON `members` (`referrer_id`,(CASE WHEN "bound_at" IS NULL THEN "created_at" ELSE "bound_at" END),`id`);--> statement-breakpoint
CREATE INDEX `members_referrer2_joined_idx` ON `members` (`referrer2_id`,(CASE WHEN "bound_at" IS NULL THEN "created_at" ELSE "bound_at" END),`id`);--> statement-breakpoint
CREATE INDEX `share_subscriptions_status_member_idx` ON `share_subscriptions` (`status`,`member_id`);