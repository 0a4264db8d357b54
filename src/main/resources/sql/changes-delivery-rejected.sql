-- The endpoint refused a change (the first parameter) for good, for a reason (the second), just now:
-- delivery stops on it, the position stays, and it is tried again retry-max-delay-ms later.
UPDATE changes_delivery
   SET rejected_seq = ?, rejected_reason = ?, rejected_at = now()
