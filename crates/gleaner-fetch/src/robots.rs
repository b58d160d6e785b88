//! robots.txt rules per origin, parsed by `texting_robots` (RFC 9309:
//! groups by product token, longest match, `*` and `$`), cached for the
//! life of the client (one watch round, or one process).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// What an origin's robots.txt says for us.
pub enum RobotsRule {
    /// No robots.txt (4xx), or an empty one.
    AllowAll,
    /// robots.txt could not be had (5xx, no answer): nothing is fetched
    /// from the origin until it can.
    DisallowAll,
    /// Its rules for our product token.
    Rules(Box<texting_robots::Robot>),
}

/// The longest `Crawl-delay` honoured: a larger one would stall a round.
const MAX_CRAWL_DELAY: f32 = 60.0;

impl RobotsRule {
    /// Parses a robots.txt body for `token`; an unparsable one allows all
    /// (RFC 9309: parse what can be parsed; texting_robots skips bad lines
    /// itself, so failing whole is rare).
    pub fn parse(token: &str, body: &[u8]) -> RobotsRule {
        match texting_robots::Robot::new(token, body) {
            Ok(r) => RobotsRule::Rules(Box::new(r)),
            Err(_) => RobotsRule::AllowAll,
        }
    }

    /// Whether `url` may be fetched.
    pub fn allowed(&self, url: &str) -> bool {
        match self {
            RobotsRule::AllowAll => true,
            RobotsRule::DisallowAll => false,
            RobotsRule::Rules(r) => r.allowed(url),
        }
    }

    /// The `Crawl-delay` asked for (capped), zero when none.
    pub fn delay(&self) -> Duration {
        match self {
            RobotsRule::Rules(r) => r
                .delay
                .filter(|d| d.is_finite() && *d > 0.0)
                .map_or(Duration::ZERO, |d| Duration::from_secs_f32(d.min(MAX_CRAWL_DELAY))),
            _ => Duration::ZERO,
        }
    }
}

/// Rules by origin.
#[derive(Default)]
pub struct RobotsCache(Mutex<HashMap<String, Arc<RobotsRule>>>);

impl RobotsCache {
    /// The cached rule of an origin.
    pub fn get(&self, origin: &str) -> Option<Arc<RobotsRule>> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).get(origin).cloned()
    }

    /// Forgets every rule (a new round asks again: RFC 9309 wants a cached
    /// robots.txt kept no longer than a day, and an origin whose robots.txt
    /// could not be had is tried again).
    pub fn clear(&self) {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).clear();
    }

    /// Caches a rule and returns it.
    pub fn put(&self, origin: String, rule: RobotsRule) -> Arc<RobotsRule> {
        let rule = Arc::new(rule);
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(origin, Arc::clone(&rule));
        rule
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn our_group_and_longest_match_decide() {
        let txt = b"User-agent: *\nDisallow: /\n\nUser-agent: gleaner\nDisallow: /private/\nAllow: /private/ok\nCrawl-delay: 2\n";
        let r = RobotsRule::parse("gleaner", txt);
        assert!(r.allowed("http://h/news/1"));
        assert!(!r.allowed("http://h/private/x"));
        assert!(r.allowed("http://h/private/ok.html"));
        assert_eq!(r.delay(), Duration::from_secs(2));
        let other = RobotsRule::parse("otherbot", txt);
        assert!(!other.allowed("http://h/news/1"));
    }
}
