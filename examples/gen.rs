//! Generates a synthetic timeline for benchmarks: `cargo run --release --example gen -- N DIR [--zipf]`.
//!
//! `--zipf` draws the prose from a 40,000-word vocabulary by Zipf's law, as
//! natural text is, instead of a few dozen newsroom words: the search index's
//! size and cost depend on the vocabulary, and a tiny one flatters them.
//!
//! Deterministic (fixed seed): the same N gives the same files. Each entry has
//! realistic front matter (tags, people, sources with publishers, related entries)
//! and 300–600 words of Markdown with links to earlier entries, as a long-running
//! newsroom timeline would.

use std::fmt::Write as _;
use std::path::Path;

/// SplitMix64: a small, well-known generator; enough for reproducible test data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// Skewed towards small indices, like real term use (a few tags are everywhere).
    fn skewed(&mut self, n: usize) -> usize {
        let a = self.below(n);
        let b = self.below(n);
        a.min(b)
    }
}

const WORDS: &[&str] = &[
    "the",
    "council",
    "vote",
    "report",
    "minister",
    "court",
    "hearing",
    "campaign",
    "election",
    "witness",
    "statement",
    "officials",
    "said",
    "on",
    "after",
    "before",
    "evidence",
    "protest",
    "city",
    "week",
    "announced",
    "inquiry",
    "budget",
    "investigation",
    "spokesperson",
    "agency",
    "documents",
    "released",
    "reporters",
    "confirmed",
    "a",
    "of",
    "and",
    "to",
    "in",
    "that",
    "was",
    "for",
    "with",
    "as",
    "by",
    "according",
    "sources",
    "residents",
    "lawmakers",
    "judge",
    "ruling",
    "appeal",
    "leaders",
    "talks",
];

/// Words drawn by rank with probability ∝ 1/rank.
struct Zipf {
    words: Vec<String>,
    /// Cumulative weights, ending at 1.
    cumulative: Vec<f64>,
}

impl Zipf {
    fn new(rng: &mut Rng, n: usize) -> Zipf {
        const SYLLABLES: &[&str] = &[
            "ka", "lo", "mi", "ren", "sa", "tor", "vel", "an", "is", "que", "dor", "bri", "en",
            "ul", "pha", "gen", "mon", "ta", "ri", "cus", "el", "no", "var", "sti",
        ];
        let mut seen = std::collections::HashSet::new();
        let mut words: Vec<String> = WORDS.iter().map(|w| w.to_string()).collect();
        seen.extend(words.iter().cloned());
        while words.len() < n {
            let w: String = (0..2 + rng.below(3))
                .map(|_| SYLLABLES[rng.below(SYLLABLES.len())])
                .collect();
            if seen.insert(w.clone()) {
                words.push(w);
            }
        }
        let total: f64 = (1..=n).map(|r| 1.0 / r as f64).sum();
        let mut sum = 0.0;
        let cumulative = (1..=n)
            .map(|r| {
                sum += 1.0 / r as f64 / total;
                sum
            })
            .collect();
        Zipf { words, cumulative }
    }

    fn pick(&self, rng: &mut Rng) -> &str {
        let x = (rng.next() >> 11) as f64 / (1u64 << 53) as f64;
        let i = self.cumulative.partition_point(|&c| c < x);
        &self.words[i.min(self.words.len() - 1)]
    }
}

fn sentence(rng: &mut Rng, words: usize, zipf: Option<&Zipf>) -> String {
    let mut s = String::new();
    for i in 0..words {
        let w = match zipf {
            Some(z) => z.pick(rng),
            None => WORDS[rng.below(WORDS.len())],
        };
        if i == 0 {
            let mut c = w.chars();
            if let Some(f) = c.next() {
                s.extend(f.to_uppercase());
                s.push_str(c.as_str());
            }
        } else {
            s.push(' ');
            s.push_str(w);
        }
    }
    s.push('.');
    s
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let n: usize = args.next().ok_or("usage: gen N DIR")?.parse()?;
    let dir = args.next().ok_or("usage: gen N DIR")?;
    let zipf_flag = args.next().as_deref() == Some("--zipf");
    let dir = Path::new(&dir);
    let content = dir.join("content");
    std::fs::create_dir_all(&content)?;
    std::fs::write(
        dir.join("site.yaml"),
        "title: \"Synthetic timeline\"\ndescription: \"Generated for benchmarks\"\nbase_url: \"https://example.org/timeline/\"\ntimezone: Europe/London\ntaxonomies: [tags, people]\n",
    )?;
    let mut rng = Rng(0x00D4_7E11_4E00_2017);
    let zipf = zipf_flag.then(|| Zipf::new(&mut Rng(0x5A1F), 40_000));
    let zipf = zipf.as_ref();
    let tags: Vec<String> = (0..200).map(|i| format!("Topic {i}")).collect();
    let people: Vec<String> = (0..2000).map(|i| format!("Person {i}")).collect();
    let publishers: Vec<String> = (0..60).map(|i| format!("Publisher {i}")).collect();
    let start = chrono::NaiveDate::from_ymd_opt(1930, 1, 1).ok_or("date")?;
    let mut names: Vec<(String, String)> = Vec::with_capacity(n);
    for i in 0..n {
        // Three events a day from 1930: 100,000 entries end in 2021, before "now".
        let day = start + chrono::Duration::days(i as i64 / 3);
        let slug = format!("event-{i:06}");
        let file = format!("{}-{slug}.md", day.format("%Y-%m-%d"));
        let mut text = String::with_capacity(4096);
        let _ = writeln!(
            text,
            "---\ntitle: \"{} {}\"",
            sentence(&mut rng, 6, zipf).trim_end_matches('.'),
            i
        );
        let _ = writeln!(text, "date: {}", day.format("%Y-%m-%d"));
        let t: Vec<String> = (0..1 + rng.below(3))
            .map(|_| format!("\"{}\"", tags[rng.skewed(tags.len())]))
            .collect();
        let _ = writeln!(text, "tags: [{}]", t.join(", "));
        let p: Vec<String> = (0..rng.below(4))
            .map(|_| format!("\"{}\"", people[rng.skewed(people.len())]))
            .collect();
        let _ = writeln!(text, "people: [{}]", p.join(", "));
        if i % 20 == 0 {
            let _ = writeln!(text, "importance: 1");
        }
        text.push_str("sources:\n");
        for s in 0..1 + rng.below(3) {
            let _ = writeln!(
                text,
                "  - {{ title: \"Report {i}-{s}\", url: \"https://news{}.example.com/{i}/{s}\", publisher: \"{}\", date: {} }}",
                rng.below(9),
                publishers[rng.skewed(publishers.len())],
                day.format("%Y-%m-%d")
            );
        }
        if i > 0 && rng.below(3) == 0 {
            let r: Vec<&str> = (0..1 + rng.below(2))
                .map(|_| names[rng.below(i)].1.as_str())
                .collect();
            let _ = writeln!(text, "related: [{}]", r.join(", "));
        }
        text.push_str("---\n\n");
        let words = 300 + rng.below(301);
        let mut written = 0;
        while written < words {
            let mut paragraph = String::new();
            for _ in 0..3 + rng.below(4) {
                let len = 8 + rng.below(14);
                paragraph.push_str(&sentence(&mut rng, len, zipf));
                paragraph.push(' ');
                written += len;
            }
            if i > 0 && rng.below(4) == 0 {
                let (target, _) = &names[rng.below(i)];
                let _ = write!(
                    paragraph,
                    "See [the earlier report]({target}) for *background*."
                );
            }
            text.push_str(paragraph.trim_end());
            text.push_str("\n\n");
        }
        std::fs::write(content.join(&file), text)?;
        names.push((file, slug));
    }
    println!("wrote {n} entries to {}", content.display());
    Ok(())
}
