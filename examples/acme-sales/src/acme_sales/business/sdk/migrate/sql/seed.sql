-- Development and test data; safe to load again (existing rows are left alone).
-- Both passwords are "gophers" (bcrypt, cost 12: the cost of every new hash, DEFAULT_BCRYPT_COST
-- in userbus, so that signing in as a seeded user takes as long as any other sign-in).
INSERT INTO users (user_id, name, email, roles, password_hash, department, enabled, date_created, date_updated)
VALUES
    ('5cf37266-3473-4006-984f-9325122678b7', 'Admin Gopher', 'admin@example.com', '{ADMIN}',
     '$2b$12$Q0u2rMtgdmy0lRx3CJaVHOKP7uDp3Zz9O.HB1jGNFSZ.jLpjHvtiK', NULL, TRUE,
     '2019-03-24 00:00:00+00', '2019-03-24 00:00:00+00'),
    ('45b5fbd3-755f-4379-8f07-a58d4a30fa2f', 'User Gopher', 'user@example.com', '{USER}',
     '$2b$12$maxbRTbaxWgzLFPswT1dMOhS20r7FZlJHjvOQB6xq66YIkJ.zDiqS', NULL, TRUE,
     '2019-03-24 00:00:00+00', '2019-03-24 00:00:00+00')
ON CONFLICT DO NOTHING;
