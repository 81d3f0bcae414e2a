-- 0009_deliveries_due_by_webhook: the dispatcher claims each subscription's
-- oldest due deliveries by this index, one probe per subscription, instead
-- of scanning every due delivery (see db_dispatch_claim in dispatcher.c).
CREATE INDEX deliveries_due_by_webhook ON mcred.deliveries (org_id, webhook_id, next_attempt_at)
    WHERE status IN ('pending', 'failed');
