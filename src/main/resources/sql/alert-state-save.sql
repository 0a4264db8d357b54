UPDATE alert_state
   SET incident = ?, reason = ?, consecutive_failures = ?, changed_at = now()
 WHERE id = 1
