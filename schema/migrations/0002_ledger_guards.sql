-- Ledger guards (drizzle cannot express triggers). The journal is append-only, accounts are never deleted,
-- and balances change only here, in the same statement as the transfer that moves them, so an account
-- always equals the sum of its transfers and a failed CHECK rolls back the caller's whole batch.
CREATE TRIGGER `transfers_no_update` BEFORE UPDATE ON `transfers`
BEGIN
  SELECT RAISE(ABORT, 'ledger_journal_is_append_only');
END;
--> statement-breakpoint
CREATE TRIGGER `transfers_no_delete` BEFORE DELETE ON `transfers`
BEGIN
  SELECT RAISE(ABORT, 'ledger_journal_is_append_only');
END;
--> statement-breakpoint
CREATE TRIGGER `accounts_no_delete` BEFORE DELETE ON `accounts`
BEGIN
  SELECT RAISE(ABORT, 'ledger_accounts_are_never_deleted');
END;
--> statement-breakpoint
CREATE TRIGGER `accounts_identity_fixed` BEFORE UPDATE OF `id`, `code`, `owner`, `flags`, `created_at` ON `accounts`
BEGIN
  SELECT RAISE(ABORT, 'ledger_account_identity_is_fixed');
END;
--> statement-breakpoint
-- Phase two (post or void) must name an open pending transfer between the same accounts, exactly once.
-- One trigger with ordered checks, so the first failing rule is the one reported.
CREATE TRIGGER `transfers_resolution_guard` BEFORE INSERT ON `transfers` WHEN NEW.`flags` IN (2, 4)
BEGIN
  SELECT RAISE(ABORT, 'ledger_pending_transfer_not_found')
    WHERE NOT EXISTS (SELECT 1 FROM `transfers` p WHERE p.`id` = NEW.`pending_id` AND p.`flags` = 1);
  SELECT RAISE(ABORT, 'ledger_pending_transfer_already_posted')
    WHERE EXISTS (SELECT 1 FROM `transfers` r WHERE r.`pending_id` = NEW.`pending_id` AND r.`flags` = 2);
  SELECT RAISE(ABORT, 'ledger_pending_transfer_already_voided')
    WHERE EXISTS (SELECT 1 FROM `transfers` r WHERE r.`pending_id` = NEW.`pending_id` AND r.`flags` = 4);
  SELECT RAISE(ABORT, 'ledger_pending_transfer_accounts_differ')
    WHERE NOT EXISTS (SELECT 1 FROM `transfers` p WHERE p.`id` = NEW.`pending_id`
      AND p.`debit_account_id` = NEW.`debit_account_id` AND p.`credit_account_id` = NEW.`credit_account_id`);
  SELECT RAISE(ABORT, 'ledger_post_exceeds_pending_amount')
    WHERE NEW.`flags` = 2 AND NEW.`amount` > (SELECT p.`amount` FROM `transfers` p WHERE p.`id` = NEW.`pending_id`);
  SELECT RAISE(ABORT, 'ledger_void_amount_differs_from_pending')
    WHERE NEW.`flags` = 4 AND NEW.`amount` <> (SELECT p.`amount` FROM `transfers` p WHERE p.`id` = NEW.`pending_id`);
  SELECT RAISE(ABORT, 'ledger_pending_transfer_expired')
    WHERE NEW.`flags` = 2 AND (SELECT p.`timeout_at` FROM `transfers` p WHERE p.`id` = NEW.`pending_id`) <= NEW.`created_at`;
END;
--> statement-breakpoint
-- Balances: a plain transfer posts; a pending one reserves; a post releases the whole reservation and posts
-- its own amount (a partial post returns the rest); a void releases it. The CHECKs on `accounts` abort an
-- overdraft here, with pending debits counted against the limit.
CREATE TRIGGER `transfers_apply_balances` AFTER INSERT ON `transfers`
BEGIN
  UPDATE `accounts` SET
    `debits_posted` = `debits_posted` + (CASE WHEN NEW.`flags` IN (0, 2) THEN NEW.`amount` ELSE 0 END),
    `debits_pending` = `debits_pending` + (CASE NEW.`flags` WHEN 1 THEN NEW.`amount` WHEN 0 THEN 0
      ELSE -(SELECT p.`amount` FROM `transfers` p WHERE p.`id` = NEW.`pending_id`) END)
    WHERE `id` = NEW.`debit_account_id`;
  UPDATE `accounts` SET
    `credits_posted` = `credits_posted` + (CASE WHEN NEW.`flags` IN (0, 2) THEN NEW.`amount` ELSE 0 END),
    `credits_pending` = `credits_pending` + (CASE NEW.`flags` WHEN 1 THEN NEW.`amount` WHEN 0 THEN 0
      ELSE -(SELECT p.`amount` FROM `transfers` p WHERE p.`id` = NEW.`pending_id`) END)
    WHERE `id` = NEW.`credit_account_id`;
  INSERT INTO `open_pending_transfers` (`transfer_id`, `timeout_at`)
    SELECT NEW.`id`, NEW.`timeout_at` WHERE NEW.`flags` = 1;
  DELETE FROM `open_pending_transfers` WHERE NEW.`flags` IN (2, 4) AND `transfer_id` = NEW.`pending_id`;
END;
