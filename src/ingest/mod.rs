//! Mail in: turning raw messages into our normalised reply, and the watcher task.
pub mod decide;
