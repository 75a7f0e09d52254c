-- Existing orders are all course orders: give them the course kind's one-open-order key
-- (worker/courses/order-kind.ts: `course:<member>:<course>`), so the unique index covers them too.
UPDATE `orders` SET `open_key` = 'course:' || `member_id` || ':' || `subject_id` WHERE `kind` = 'course' AND `open_key` IS NULL;
