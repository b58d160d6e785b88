//! `gleaner extract`: many inputs, in parallel, to stdout or one file each.

use std::collections::HashMap;
use std::fs;
use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result};
use clap::Args;
use gleaner_ingest::{ordered_map, process, Done, Failure, Workers};
use gleaner_read::{discover, Input, ReadLimits, DEFAULT_MAX_BYTES};
use indicatif::{ProgressBar, ProgressStyle};

use crate::output::{out_path, render, Format};

pub const AFTER_HELP: &str = "\
Inputs are files (.html .htm .xhtml .txt, each optionally .gz), directories
(walked recursively for those names) and '-' for standard input. Without an
input, standard input is read.

Examples:
  gleaner extract page.html
  gleaner extract --format markdown https-copy.html.gz
  curl -s https://example.org/a | gleaner extract --url https://example.org/a -
  gleaner extract --format text --out-dir OUT pages/

Exit status: 0 when every input was extracted, 1 when some input failed
(each failure is reported on stderr and summarised at the end), 2 on a usage
or output error.";

/// Options of `gleaner extract`.
#[derive(Args, Debug)]
pub struct ExtractArgs {
    /// Files, directories, or '-' for stdin.
    #[arg(value_name = "INPUT")]
    inputs: Vec<String>,

    /// Output format.
    #[arg(short, long, value_enum, default_value = "jsonl")]
    format: Format,

    /// Write one file per input into DIR (named after the input, with the
    /// format's extension) instead of writing to stdout.
    #[arg(short, long, value_name = "DIR")]
    out_dir: Option<PathBuf>,

    /// The page's address, for a single input.
    #[arg(long, value_name = "URL")]
    url: Option<String>,

    /// Worker threads (default: all cores; 1 runs single-threaded).
    #[arg(short, long, value_name = "N")]
    jobs: Option<usize>,

    /// Largest input accepted, in bytes after decompression.
    #[arg(long, value_name = "BYTES", default_value_t = DEFAULT_MAX_BYTES)]
    max_bytes: u64,

    /// Also write each failure as a JSON line ({input, category, error}) to FILE.
    #[arg(long, value_name = "FILE")]
    errors: Option<PathBuf>,

    /// No progress bar and no summary (failures are still reported).
    #[arg(short, long)]
    quiet: bool,

    /// Skip the analysis stage (entities, times, quantities, quotes). Text and
    /// Markdown output never show it, so it only runs for jsonl and json.
    #[arg(long)]
    no_analysis: bool,
}

type Outcome = Result<Done, Failure>;

pub fn run(args: ExtractArgs) -> Result<ExitCode> {
    let raw_inputs = if args.inputs.is_empty() {
        vec!["-".to_string()]
    } else {
        args.inputs.clone()
    };
    let (inputs, missing) = discover(&raw_inputs);
    if args.url.is_some() && inputs.len() > 1 {
        anyhow::bail!(
            "--url names the address of one page, but {} inputs were given",
            inputs.len()
        );
    }
    if inputs.iter().filter(|i| matches!(i, Input::Stdin)).count() > 1 {
        anyhow::bail!("standard input ('-') can be read only once");
    }
    if let Some(dir) = &args.out_dir {
        fs::create_dir_all(dir).with_context(|| format!("cannot create output directory {}", dir.display()))?;
    }
    let mut errors_file = match &args.errors {
        Some(p) => Some(BufWriter::new(
            fs::File::create(p).with_context(|| format!("cannot create {}", p.display()))?,
        )),
        None => None,
    };

    let mut report = Report::default();
    for (name, err) in missing {
        report.fail(&name, &Failure::from(err), errors_file.as_mut())?;
    }

    let workers = if inputs.len() <= 1 {
        Workers::Inline
    } else {
        Workers::from_jobs(args.jobs)
    };
    let progress = progress_bar(inputs.len(), args.quiet);
    let limits = ReadLimits {
        max_bytes: args.max_bytes,
    };
    let url = args.url.as_deref();
    let analyse = !args.no_analysis && matches!(args.format, Format::Jsonl | Format::Json);
    let started = Instant::now();

    let stdout = io::stdout();
    let mut sink = Sink {
        args: &args,
        out: BufWriter::with_capacity(1 << 16, stdout.lock()),
        written: 0,
        claimed: HashMap::new(),
    };
    let mut handle = |input: &Input, outcome: Outcome| -> Result<()> {
        progress.inc(1);
        match outcome {
            Ok(done) => {
                if done.record.text.is_empty() {
                    report.empty_text += 1;
                }
                match sink.write(input, &done)? {
                    Written::Yes => report.ok += 1,
                    Written::Clash(other) => {
                        let f = Failure {
                            category: "output name clash",
                            message: format!("not written: its output file is already taken by {other}"),
                        };
                        progress.suspend(|| report.fail(&input.display(), &f, errors_file.as_mut()))?;
                    }
                }
                Ok(())
            }
            Err(f) => progress.suspend(|| report.fail(&input.display(), &f, errors_file.as_mut())),
        }
    };

    ordered_map(
        &inputs,
        workers,
        |input| (input, process(input, limits, url, analyse)),
        |(input, outcome)| handle(input, outcome),
    )?;
    sink.finish()?;
    progress.finish_and_clear();
    if let Some(f) = errors_file.as_mut() {
        f.flush()?;
    }
    if !args.quiet || report.failed > 0 {
        report.summary(started.elapsed().as_secs_f64());
    }
    Ok(if report.failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

struct Sink<'a, W: Write> {
    args: &'a ExtractArgs,
    out: BufWriter<W>,
    written: usize,
    /// Files written under --out-dir in this run, and the input each came from.
    claimed: HashMap<PathBuf, String>,
}

enum Written {
    Yes,
    /// The output file was already written for another input of this run.
    Clash(String),
}

impl<W: Write> Sink<'_, W> {
    fn write(&mut self, input: &Input, done: &Done) -> Result<Written> {
        let format = self.args.format;
        if let Some(dir) = &self.args.out_dir {
            let path = out_path(dir, input, format);
            if let Some(other) = self.claimed.get(&path) {
                return Ok(Written::Clash(other.clone()));
            }
            self.claimed.insert(path.clone(), input.display());
            if let Some(parent) = path.parent() {
                fs::create_dir_all(parent).with_context(|| format!("cannot create {}", parent.display()))?;
            }
            let mut buf = Vec::with_capacity(done.record.text.len() + 256);
            render(done, format, &mut buf)?;
            fs::write(&path, buf).with_context(|| format!("cannot write {}", path.display()))?;
        } else {
            match format {
                Format::Json => {
                    self.out.write_all(if self.written == 0 { b"[\n" } else { b",\n" })?;
                    // Through io::Error, so that a broken pipe stays recognisable.
                    serde_json::to_writer_pretty(&mut self.out, &done.record).map_err(io::Error::from)?;
                }
                Format::Text | Format::Markdown if self.written > 0 => {
                    self.out.write_all(b"\n")?;
                    render(done, format, &mut self.out)?;
                }
                _ => render(done, format, &mut self.out)?,
            }
        }
        self.written += 1;
        Ok(Written::Yes)
    }

    fn finish(&mut self) -> Result<()> {
        if self.args.out_dir.is_none() && self.args.format == Format::Json {
            self.out.write_all(if self.written == 0 { b"[]\n" } else { b"\n]\n" })?;
        }
        self.out.flush()?;
        Ok(())
    }
}

#[derive(Default)]
struct Report {
    ok: usize,
    failed: usize,
    empty_text: usize,
    by_category: HashMap<&'static str, usize>,
}

impl Report {
    fn fail(&mut self, input: &str, f: &Failure, file: Option<&mut BufWriter<fs::File>>) -> Result<()> {
        self.failed += 1;
        *self.by_category.entry(f.category).or_default() += 1;
        eprintln!("gleaner: {input}: {}", f.message);
        if let Some(w) = file {
            let line = serde_json::json!({"input": input, "category": f.category, "error": f.message});
            serde_json::to_writer(&mut *w, &line)?;
            w.write_all(b"\n")?;
        }
        Ok(())
    }

    fn summary(&self, secs: f64) {
        let total = self.ok + self.failed;
        let mut line = format!("gleaner: {total} input(s): {} extracted", self.ok);
        if self.failed > 0 {
            let mut cats: Vec<_> = self.by_category.iter().collect();
            cats.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
            let why: Vec<String> = cats.iter().map(|(c, n)| format!("{n} {c}")).collect();
            line.push_str(&format!(", {} failed ({})", self.failed, why.join(", ")));
        }
        if self.empty_text > 0 {
            line.push_str(&format!(", {} with no article text found", self.empty_text));
        }
        line.push_str(&format!(" in {secs:.2}s"));
        eprintln!("{line}");
    }
}

fn progress_bar(n: usize, quiet: bool) -> ProgressBar {
    if quiet || n < 20 || !io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let pb = ProgressBar::new(n as u64);
    pb.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} pages  {per_sec}  eta {eta}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    pb
}
