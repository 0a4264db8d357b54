-- Ends the announced incident (delivery_recovered) when delivery is no longer stalled without a
-- change having been accepted since (a refused change skipped, the last one): answers a row only to
-- the one caller, of whichever replica, that ended it.
UPDATE changes_delivery
   SET incident = NULL, incident_reason = NULL, incident_at = NULL
 WHERE incident IS NOT NULL
RETURNING position
