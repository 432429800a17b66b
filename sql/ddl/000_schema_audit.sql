create schema if not exists audit
