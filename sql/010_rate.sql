-- 010: failed logins are counted in rate_events with the other limits (keys login-user:...,
-- login-ip:...); their own table goes. Only failures of the last minutes are lost.
DROP TABLE login_failures;
