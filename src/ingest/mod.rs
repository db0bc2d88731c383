//! Mail in: turning raw messages into our normalised reply.
