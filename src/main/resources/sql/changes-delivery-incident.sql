-- Opens the incident (delivery_stalled) unless one is open: answers a row only to the one caller,
-- of whichever replica, that opened it.
UPDATE changes_delivery
   SET incident = 'stalled', incident_reason = ?, incident_at = now()
 WHERE incident IS NULL
RETURNING incident_reason
