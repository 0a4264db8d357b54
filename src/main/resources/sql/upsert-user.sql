-- Upserts the user from its upstream JSON (:#user) and counts what changed.
-- A row that is already equal is not written, so updated_at moves only on a real change.
WITH src AS (
    SELECT CAST(:#user AS jsonb) AS j
), up AS (
    INSERT INTO users AS u (id, username, email, employee_id, first_name, last_name,
                            tenant_id, active, type, raw)
    SELECT (j->>'id')::bigint, j->>'username', j->>'email', j->>'employee_id',
           j->>'first_name', j->>'last_name',
           (j->>'tenant_id')::bigint, (j->>'active')::boolean, j->>'type', j
    FROM src
    ON CONFLICT (id) DO UPDATE
       SET username = EXCLUDED.username, email = EXCLUDED.email,
           employee_id = EXCLUDED.employee_id, first_name = EXCLUDED.first_name,
           last_name = EXCLUDED.last_name, tenant_id = EXCLUDED.tenant_id,
           active = EXCLUDED.active, type = EXCLUDED.type, raw = EXCLUDED.raw,
           updated_at = now()
     WHERE (u.username, u.email, u.employee_id, u.first_name, u.last_name,
            u.tenant_id, u.active, u.type, u.raw)
           IS DISTINCT FROM
           (EXCLUDED.username, EXCLUDED.email, EXCLUDED.employee_id, EXCLUDED.first_name,
            EXCLUDED.last_name, EXCLUDED.tenant_id, EXCLUDED.active, EXCLUDED.type, EXCLUDED.raw)
    RETURNING (xmax = 0) AS inserted
)
SELECT 1 AS total,
       count(*) FILTER (WHERE inserted)     AS inserted,
       count(*) FILTER (WHERE NOT inserted) AS updated
FROM up
