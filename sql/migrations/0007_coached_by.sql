-- 0007_coached_by: the one statement of who a coach acts on — the
-- learners assigned to them, or every learner of a cohort where no
-- learner has a coach assigned — for every query that filters by it
-- (score, problem and evidence lists, status, attendance, permissions).
CREATE FUNCTION mcred.coached_by(p_org uuid, p_cohort uuid, p_coach uuid) RETURNS SETOF uuid
    LANGUAGE sql STABLE
    AS $$
SELECT m.person_id FROM mcred.members m
 WHERE m.org_id = p_org AND m.cohort_id = p_cohort AND m.role = 'learner'
   AND (m.coach_id = p_coach
        OR NOT EXISTS (SELECT 1 FROM mcred.members c
                        WHERE c.org_id = p_org AND c.cohort_id = p_cohort
                          AND c.role = 'learner' AND c.coach_id IS NOT NULL))
$$;
