ALTER TABLE `orders` RENAME COLUMN "course_id" TO "subject_id";--> statement-breakpoint
DROP INDEX `orders_one_open_per_course`;--> statement-breakpoint
ALTER TABLE `orders` ADD `kind` text DEFAULT 'course' NOT NULL;--> statement-breakpoint
ALTER TABLE `orders` ADD `open_key` text;--> statement-breakpoint
ALTER TABLE `orders` ADD `prepaid_at` integer;--> statement-breakpoint
CREATE UNIQUE INDEX `orders_one_open_per_key` ON `orders` (`open_key`) WHERE status = 'pending';