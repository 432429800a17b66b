create schema if not exists core
