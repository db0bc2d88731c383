//! Rule files and reply classification (stub: replaced by the real classifier).
