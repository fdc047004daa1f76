-- One account per email whatever the case of its letters: Ann@example.com and ann@example.com
-- are the same person to everyone who types them. The address is kept as given (for display);
-- uniqueness and lookups go by lower(email).
DO $$
DECLARE
    clashing BIGINT;
BEGIN
    SELECT count(*) INTO clashing
    FROM (SELECT lower(email) FROM users GROUP BY lower(email) HAVING count(*) > 1) AS twins;
    IF clashing > 0 THEN
        RAISE EXCEPTION 'emails that several users share, differing only in the case of their '
            'letters: %. Change all but one of each, then migrate again. To list them: SELECT '
            'email FROM users WHERE lower(email) IN (SELECT lower(email) FROM users GROUP BY 1 '
            'HAVING count(*) > 1)', clashing;
    END IF;
END
$$;

CREATE UNIQUE INDEX users_email_lower_key ON users (lower(email));
