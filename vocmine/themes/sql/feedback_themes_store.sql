-- Rewrite the themes of the feedback in `refreshed_feedback` with `new_feedback_themes`
-- (feedback that now has no theme keeps no row). Run in one transaction.
DELETE FROM feedback_themes WHERE feedback_id IN (SELECT feedback_id FROM refreshed_feedback);
INSERT INTO feedback_themes
SELECT feedback_id, theme_id, rank, method, confidence FROM new_feedback_themes;
