//! Mail in: turning raw messages into our normalised reply.

pub mod parse;
