//! The readers under the WARC parser: a buffer that can look several bytes
//! ahead and counts its position, and a record block bounded by its length.

use super::*;

/// A buffered reader that can look several bytes ahead (across refills, which
/// `BufReader` cannot) and counts what it has consumed.
pub(super) trait PeekRead: BufRead {
    /// At least `n` bytes (at most the buffer size) unless the input ends first.
    fn peek(&mut self, n: usize) -> io::Result<&[u8]>;
}

/// A [`PeekRead`] that knows its position.
pub(super) trait Stream: PeekRead {
    fn pos(&self) -> u64;
}

pub(super) struct PeekReader<R> {
    pub(super) inner: R,
    pub(super) buf: Box<[u8]>,
    pub(super) start: usize,
    pub(super) end: usize,
    /// Position of `buf[start]` in the stream.
    pub(super) pos: u64,
}

impl<R> PeekReader<R> {
    pub(super) fn new(inner: R, pos: u64, cap: usize) -> Self {
        Self {
            inner,
            buf: vec![0; cap].into_boxed_slice(),
            start: 0,
            end: 0,
            pos,
        }
    }

    /// The underlying reader; buffered bytes are dropped (callers only do this
    /// at the end of the input, or before seeking).
    pub(super) fn into_inner(self) -> R {
        self.inner
    }
}

impl<R: Read> PeekReader<R> {
    /// Reads more into the buffer, compacting it first if needed. Ok(0) is
    /// the end of the input (never called with a full buffer).
    pub(super) fn read_more(&mut self) -> io::Result<usize> {
        if self.start == self.end {
            self.start = 0;
            self.end = 0;
        } else if self.end == self.buf.len() {
            self.buf.copy_within(self.start..self.end, 0);
            self.end -= self.start;
            self.start = 0;
        }
        loop {
            match self.inner.read(&mut self.buf[self.end..]) {
                Ok(n) => {
                    self.end += n;
                    return Ok(n);
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
    }
}

impl<R: Read + Seek> PeekReader<R> {
    pub(super) fn seek_to(&mut self, pos: u64) -> io::Result<()> {
        self.start = 0;
        self.end = 0;
        self.inner.seek(SeekFrom::Start(pos))?;
        self.pos = pos;
        Ok(())
    }
}

impl<R: Read> Read for PeekReader<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        read_through_buf(self, out)
    }
}

impl<R: Read> BufRead for PeekReader<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.start == self.end {
            self.read_more()?;
        }
        Ok(&self.buf[self.start..self.end])
    }

    fn consume(&mut self, n: usize) {
        let n = n.min(self.end - self.start);
        self.start += n;
        self.pos += n as u64;
    }
}

impl<R: Read> PeekRead for PeekReader<R> {
    fn peek(&mut self, n: usize) -> io::Result<&[u8]> {
        let n = n.min(self.buf.len());
        while self.end - self.start < n {
            if self.read_more()? == 0 {
                break;
            }
        }
        Ok(&self.buf[self.start..self.end])
    }
}

impl<R: Read> Stream for PeekReader<R> {
    fn pos(&self) -> u64 {
        self.pos
    }
}

/// A record's block: the next `left` bytes of the stream. Remembers whether
/// the stream below failed, so that a decoding error in the payload can be
/// told apart from a broken archive.
pub(super) struct Block<'a, S: ?Sized> {
    pub(super) s: &'a mut S,
    pub(super) left: u64,
    pub(super) failed: Option<io::Error>,
}

impl<S: Stream + ?Sized> Block<'_, S> {
    /// Discards the rest of the block in buffer-sized chunks. Stops early only
    /// at the end of the stream (then `left > 0`).
    pub(super) fn drain(&mut self) -> io::Result<()> {
        while self.left > 0 {
            let n = self.fill_buf()?.len();
            if n == 0 {
                break;
            }
            self.consume(n);
        }
        Ok(())
    }
}

pub(super) fn clamp(len: usize, left: u64) -> usize {
    usize::try_from(left).map_or(len, |l| len.min(l))
}

/// `Read` for a type whose `BufRead` does the work: copy from its buffer.
pub(super) fn read_through_buf<B: BufRead + ?Sized>(b: &mut B, out: &mut [u8]) -> io::Result<usize> {
    let n = {
        let buf = b.fill_buf()?;
        let n = buf.len().min(out.len());
        out[..n].copy_from_slice(&buf[..n]);
        n
    };
    b.consume(n);
    Ok(n)
}

pub(super) fn copy_error(e: &io::Error) -> io::Error {
    io::Error::new(e.kind(), e.to_string())
}

impl<S: Stream + ?Sized> Read for Block<'_, S> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        read_through_buf(self, out)
    }
}

impl<S: Stream + ?Sized> BufRead for Block<'_, S> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.left == 0 {
            return Ok(&[]);
        }
        let left = self.left;
        match self.s.fill_buf() {
            Ok(buf) => Ok(&buf[..clamp(buf.len(), left)]),
            Err(e) => {
                self.failed = Some(copy_error(&e));
                Err(e)
            }
        }
    }

    fn consume(&mut self, n: usize) {
        let n = clamp(n, self.left);
        self.s.consume(n);
        self.left -= n as u64;
    }
}

impl<S: Stream + ?Sized> PeekRead for Block<'_, S> {
    fn peek(&mut self, n: usize) -> io::Result<&[u8]> {
        let left = self.left;
        match self.s.peek(clamp(n, left)) {
            Ok(buf) => Ok(&buf[..clamp(buf.len(), left)]),
            Err(e) => {
                self.failed = Some(copy_error(&e));
                Err(e)
            }
        }
    }
}
