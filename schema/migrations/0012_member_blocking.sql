ALTER TABLE `members` ADD `blocked_at` integer;--> statement-breakpoint
ALTER TABLE `members` ADD `blocked_reason` text;