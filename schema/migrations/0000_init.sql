CREATE TABLE `members` (
	`id` text PRIMARY KEY NOT NULL,
	`openid` text NOT NULL,
	`unionid` text,
	`nickname` text DEFAULT '' NOT NULL,
	`avatar_url` text DEFAULT '' NOT NULL,
	`phone` text,
	`tier` text DEFAULT 'member' NOT NULL,
	`roles` text DEFAULT '[]' NOT NULL,
	`referrer_id` text,
	`bound_at` integer,
	`invite_code` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `members_openid_unique` ON `members` (`openid`);--> statement-breakpoint
CREATE UNIQUE INDEX `members_inviteCode_unique` ON `members` (`invite_code`);--> statement-breakpoint
CREATE INDEX `members_referrer_idx` ON `members` (`referrer_id`);--> statement-breakpoint
CREATE INDEX `members_phone_idx` ON `members` (`phone`);--> statement-breakpoint
CREATE TABLE `referral_bindings` (
	`id` text PRIMARY KEY NOT NULL,
	`member_id` text NOT NULL,
	`referrer_id` text NOT NULL,
	`source` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `referral_bindings_member_idx` ON `referral_bindings` (`member_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `settings` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `chapters` (
	`id` text PRIMARY KEY NOT NULL,
	`course_id` text NOT NULL,
	`title` text NOT NULL,
	`sort_order` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE INDEX `chapters_course_idx` ON `chapters` (`course_id`,`sort_order`);--> statement-breakpoint
CREATE TABLE `courses` (
	`id` text PRIMARY KEY NOT NULL,
	`title` text NOT NULL,
	`subtitle` text DEFAULT '' NOT NULL,
	`cover_url` text DEFAULT '' NOT NULL,
	`instructor` text DEFAULT '' NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`price_fen` integer NOT NULL,
	`status` text DEFAULT 'draft' NOT NULL,
	`sort_order` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `courses_status_sort_idx` ON `courses` (`status`,`sort_order`,`id`);--> statement-breakpoint
CREATE TABLE `entitlements` (
	`member_id` text NOT NULL,
	`course_id` text NOT NULL,
	`source` text NOT NULL,
	`order_id` text,
	`granted_at` integer NOT NULL,
	`revoked_at` integer,
	PRIMARY KEY(`member_id`, `course_id`)
);
--> statement-breakpoint
CREATE TABLE `lesson_progress` (
	`member_id` text NOT NULL,
	`lesson_id` text NOT NULL,
	`course_id` text NOT NULL,
	`position_sec` integer DEFAULT 0 NOT NULL,
	`completed` integer DEFAULT false NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`member_id`, `lesson_id`)
);
--> statement-breakpoint
CREATE INDEX `lesson_progress_course_idx` ON `lesson_progress` (`member_id`,`course_id`);--> statement-breakpoint
CREATE TABLE `lessons` (
	`id` text PRIMARY KEY NOT NULL,
	`course_id` text NOT NULL,
	`chapter_id` text NOT NULL,
	`title` text NOT NULL,
	`kind` text NOT NULL,
	`media_key` text,
	`duration_sec` integer DEFAULT 0 NOT NULL,
	`is_trial` integer DEFAULT false NOT NULL,
	`sort_order` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE INDEX `lessons_chapter_idx` ON `lessons` (`chapter_id`,`sort_order`);--> statement-breakpoint
CREATE INDEX `lessons_course_idx` ON `lessons` (`course_id`);