ALTER TABLE `courses` ADD `published_at` integer;--> statement-breakpoint
ALTER TABLE `lessons` ADD `media_content_type` text;--> statement-breakpoint
ALTER TABLE `lessons` ADD `media_bytes` integer;