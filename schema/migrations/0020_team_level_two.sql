-- members.referrer2_id is the referrer's referrer, kept here whoever writes referrer_id (a binding, an admin, the
-- seed, a test), so a partner's level-2 team is one index range (members_referrer2_joined_idx). A member bound,
-- inserted or rebound takes their referrer's referrer; their own direct team takes their new referrer. Only
-- referrer2_id is written here, so these triggers never fire each other.
CREATE TRIGGER `members_referrer2_on_insert` AFTER INSERT ON `members`
BEGIN
  UPDATE `members` SET `referrer2_id` = (SELECT r.`referrer_id` FROM `members` r WHERE r.`id` = NEW.`referrer_id`)
    WHERE `id` = NEW.`id` AND NEW.`referrer_id` IS NOT NULL;
  UPDATE `members` SET `referrer2_id` = NEW.`referrer_id` WHERE `referrer_id` = NEW.`id` AND `referrer2_id` IS NOT NEW.`referrer_id`;
END;
--> statement-breakpoint
CREATE TRIGGER `members_referrer2_on_rebind` AFTER UPDATE OF `referrer_id` ON `members`
BEGIN
  UPDATE `members` SET `referrer2_id` = (SELECT r.`referrer_id` FROM `members` r WHERE r.`id` = NEW.`referrer_id`) WHERE `id` = NEW.`id`;
  UPDATE `members` SET `referrer2_id` = NEW.`referrer_id` WHERE `referrer_id` = NEW.`id` AND `referrer2_id` IS NOT NEW.`referrer_id`;
END;
--> statement-breakpoint
UPDATE `members` SET `referrer2_id` = (SELECT r.`referrer_id` FROM `members` r WHERE r.`id` = `members`.`referrer_id`) WHERE `referrer_id` IS NOT NULL;
