-- Does the database answer? A cast is answered "sync casted" only when it does (api-syncast).
SELECT true AS answers
