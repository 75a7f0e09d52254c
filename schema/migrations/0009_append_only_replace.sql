-- INSERT OR REPLACE (and REPLACE, and an upsert's REPLACE mode) deletes the row it conflicts with and inserts
-- another without firing DELETE triggers (SQLite fires them for REPLACE only with recursive_triggers on), so
-- the no-delete guards alone let a journal row or a balance be rewritten. BEFORE INSERT triggers run under
-- every conflict mode, before the conflict is resolved: these refuse an insert whose key is already taken.
-- https://www.sqlite.org/lang_conflict.html
--
-- transfers: by id or seq (the rowid). A taken pending_id is refused by transfers_resolution_guard, which
-- fires after this trigger and keeps its own messages (already posted / already voided).
CREATE TRIGGER `transfers_no_replace` BEFORE INSERT ON `transfers`
WHEN EXISTS (SELECT 1 FROM `transfers` WHERE `id` = NEW.`id`) OR EXISTS (SELECT 1 FROM `transfers` WHERE `seq` = NEW.`seq`)
BEGIN
  SELECT RAISE(ABORT, 'ledger_journal_is_append_only');
END;
--> statement-breakpoint
-- accounts: the ledger creates accounts lazily with INSERT OR IGNORE, so the same account again (same code,
-- owner and flags, zero balances) is skipped, leaving the stored row as it is under every conflict mode;
-- anything else aimed at an existing account (other identity, balances, rowid) is refused.
CREATE TRIGGER `accounts_no_replace` BEFORE INSERT ON `accounts`
WHEN EXISTS (SELECT 1 FROM `accounts` WHERE `id` = NEW.`id`) OR EXISTS (SELECT 1 FROM `accounts` WHERE `rowid` = NEW.`rowid`)
BEGIN
  SELECT RAISE(ABORT, 'ledger_accounts_are_never_replaced')
    WHERE NEW.`debits_posted` <> 0 OR NEW.`credits_posted` <> 0 OR NEW.`debits_pending` <> 0 OR NEW.`credits_pending` <> 0
       OR NOT EXISTS (SELECT 1 FROM `accounts` a WHERE a.`id` = NEW.`id` AND a.`code` = NEW.`code` AND a.`owner` IS NEW.`owner`
                        AND a.`flags` = NEW.`flags` AND (NEW.`rowid` = -1 OR a.`rowid` = NEW.`rowid`));
  SELECT RAISE(IGNORE);
END;
--> statement-breakpoint
-- audit_log: by id or rowid.
CREATE TRIGGER `audit_log_no_replace` BEFORE INSERT ON `audit_log`
WHEN EXISTS (SELECT 1 FROM `audit_log` WHERE `id` = NEW.`id`) OR EXISTS (SELECT 1 FROM `audit_log` WHERE `rowid` = NEW.`rowid`)
BEGIN
  SELECT RAISE(ABORT, 'audit_log is append-only');
END;
