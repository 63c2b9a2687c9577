-- A restricted record (a VIP, a staff member, a protected person) opens only under a break-glass
-- grant (emergency_grants, V4); search shows that it exists, nothing more.
ALTER TABLE patients ADD COLUMN restricted boolean NOT NULL DEFAULT false;
