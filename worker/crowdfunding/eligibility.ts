/**
 * Who may see a round. The tier comes from D1 on the request (never from the token, which may be 2 h old), as a
 * condition joined into the query that reads the rounds, so visibility costs no extra round trip.
 *
 * A round is visible to a member when it is not a draft and either the member's live tier is one of its eligible
 * tiers, or the member has subscribed to it (a new shareholder still sees the round that made them one).
 * Everyone else gets 404: the law forbids open solicitation, so they must not learn the round exists.
 */
export const VISIBLE_TO_MEMBER = `r.state <> 'draft' AND (
  EXISTS (SELECT 1 FROM members m, json_each(r.eligible_tiers) t WHERE m.id = ?1 AND t.value = m.tier)
  OR EXISTS (SELECT 1 FROM share_subscriptions s WHERE s.round_id = r.id AND s.member_id = ?1)
)`;

/** May the member subscribe to this round now? Only its eligible tiers, by the live tier (`?1` = member id). */
export const ELIGIBLE_TO_SUBSCRIBE = `EXISTS (SELECT 1 FROM members m, json_each(r.eligible_tiers) t WHERE m.id = ?1 AND t.value = m.tier)`;
