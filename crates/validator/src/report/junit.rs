//! `--format junit` (placeholder until written).
use super::{FileReport, Reporter, Summary};
use std::io::{self, Write};

#[derive(Default)]
pub(super) struct Junit;

impl Reporter for Junit {
    fn file(&mut self, _: &mut dyn Write, _: &FileReport<'_>) -> io::Result<()> {
        Ok(())
    }
    fn finish(&mut self, _: &mut dyn Write, _: &Summary) -> io::Result<()> {
        Ok(())
    }
}
