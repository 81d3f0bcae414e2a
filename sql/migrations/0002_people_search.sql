-- 0002_people_search: what listing and filtering people needs.
--
-- Attribute filters are containment (attributes @> '{"school": "…"}'),
-- which a GIN index with jsonb_path_ops answers without scanning the
-- organisation's people; name and e-mail search use the e-mail order of
-- people_org_email and filter within a page.
CREATE INDEX people_attributes ON mcred.people USING gin (attributes jsonb_path_ops);

-- Tokens are listed newest first, per organisation or per person.
CREATE INDEX tokens_org_created ON mcred.tokens (org_id, created_at DESC, id DESC);
