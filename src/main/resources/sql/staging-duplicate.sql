-- An id the upstream listed more than once: which of its versions to mirror is anyone's guess.
SELECT id FROM incoming_warehouses GROUP BY id HAVING count(*) > 1 LIMIT 1
