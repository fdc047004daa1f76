-- Development and test data; safe to load again (existing rows are left alone).
-- Both passwords are "gophers" (bcrypt, cost 10).
INSERT INTO users (user_id, name, email, roles, password_hash, department, enabled, date_created, date_updated)
VALUES
    ('5cf37266-3473-4006-984f-9325122678b7', 'Admin Gopher', 'admin@example.com', '{ADMIN}',
     '$2a$10$1ggfMVZV6Js0ybvJufLRUOWHS5f6KneuP0XwwHpJ8L8ipdry9f2/a', NULL, TRUE,
     '2019-03-24 00:00:00+00', '2019-03-24 00:00:00+00'),
    ('45b5fbd3-755f-4379-8f07-a58d4a30fa2f', 'User Gopher', 'user@example.com', '{USER}',
     '$2a$10$9/XASPKBbJKVfCAZKDH.UuhsuALDr5vVm6VrYA9VFR8rccK86C1hW', NULL, TRUE,
     '2019-03-24 00:00:00+00', '2019-03-24 00:00:00+00')
ON CONFLICT DO NOTHING;
