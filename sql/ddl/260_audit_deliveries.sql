-- every pack accepted by the mail server (or written to the outbox), one row per message;
-- only grows. a row exists only once the server accepted the message.
create table if not exists audit.deliveries (
    month date not null,
    pack varchar not null,
    files varchar not null,
    sha256 varchar not null,
    recipients varchar not null,
    message_id varchar not null,
    transport varchar not null,
    destination varchar not null,
    attempts integer not null,
    forced boolean not null,
    run_id varchar not null,
    sent_at timestamp with time zone not null
)
