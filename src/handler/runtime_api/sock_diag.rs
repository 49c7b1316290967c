//! One TCP socket looked up by its addresses through Linux's `sock_diag` netlink interface
//! (`man 7 sock_diag`): the kernel finds the socket in its connection hash, however many other
//! sockets the system has, where `/proc/net/tcp` writes out every one of them.
//!
//! The request is an exact one (`SOCK_DIAG_BY_FAMILY` without `NLM_F_DUMP`), as `ss` sends for
//! one socket: an `inet_diag_req_v2` naming the socket's source and destination; the answer is
//! one `inet_diag_msg` (whose `idiag_inode` is the socket's inode) or an `NLMSG_ERROR` with
//! `ENOENT`. The structures are the kernel's (`linux/inet_diag.h`, `linux/netlink.h`), written
//! out here because `libc` does not export them.

use std::net::SocketAddrV4;

/// The inode of the TCP socket whose local end is `local` and remote end `remote`:
/// `Some(None)` when the kernel has no such socket, `None` when it cannot be asked (not Linux,
/// netlink refused) or answered something else.
pub(crate) fn inode(local: SocketAddrV4, remote: SocketAddrV4) -> Option<Option<u64>> {
    imp::inode(local, remote)
}

#[cfg(not(target_os = "linux"))]
mod imp {
    use std::net::SocketAddrV4;

    pub(super) fn inode(_: SocketAddrV4, _: SocketAddrV4) -> Option<Option<u64>> {
        None
    }
}

#[cfg(target_os = "linux")]
mod imp {
    use std::mem::size_of;
    use std::net::SocketAddrV4;
    use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};

    /// `NETLINK_SOCK_DIAG` (`linux/netlink.h`).
    const NETLINK_SOCK_DIAG: libc::c_int = 4;
    /// `SOCK_DIAG_BY_FAMILY` (`linux/sock_diag.h`): the request and the answer's type.
    const SOCK_DIAG_BY_FAMILY: u16 = 20;
    /// `NLM_F_REQUEST`.
    const NLM_F_REQUEST: u16 = 1;
    /// `NLMSG_ERROR`: the answer carries an errno (negated) instead of a socket.
    const NLMSG_ERROR: u16 = 2;
    /// `INET_DIAG_NOCOOKIE`: match by addresses, not by the kernel's socket cookie.
    const NO_COOKIE: u32 = !0;

    /// `struct nlmsghdr`.
    #[repr(C)]
    #[derive(Clone, Copy)]
    struct Header {
        len: u32,
        kind: u16,
        flags: u16,
        seq: u32,
        pid: u32,
    }

    /// `struct inet_diag_sockid`: ports and addresses in network byte order.
    #[repr(C)]
    #[derive(Clone, Copy)]
    struct SockId {
        sport: u16,
        dport: u16,
        src: [u32; 4],
        dst: [u32; 4],
        interface: u32,
        cookie: [u32; 2],
    }

    /// `struct inet_diag_req_v2`, after its netlink header.
    #[repr(C)]
    #[derive(Clone, Copy)]
    struct Request {
        header: Header,
        family: u8,
        protocol: u8,
        ext: u8,
        pad: u8,
        states: u32,
        id: SockId,
    }

    /// `struct inet_diag_msg`, the answer's body.
    #[repr(C)]
    #[derive(Clone, Copy)]
    struct Answer {
        family: u8,
        state: u8,
        timer: u8,
        retrans: u8,
        id: SockId,
        expires: u32,
        rqueue: u32,
        wqueue: u32,
        uid: u32,
        inode: u32,
    }

    /// An IPv4 address as the kernel keeps it: its four octets in order (network byte order).
    fn be_addr(addr: SocketAddrV4) -> [u32; 4] {
        [u32::from_ne_bytes(addr.ip().octets()), 0, 0, 0]
    }

    pub(super) fn inode(local: SocketAddrV4, remote: SocketAddrV4) -> Option<Option<u64>> {
        // SAFETY: plain socket(2); the descriptor is owned (and closed) by `socket` below.
        let fd = unsafe {
            libc::socket(
                libc::AF_NETLINK,
                libc::SOCK_DGRAM | libc::SOCK_CLOEXEC,
                NETLINK_SOCK_DIAG,
            )
        };
        if fd < 0 {
            return None;
        }
        // SAFETY: `fd` was just opened and is owned by nothing else.
        let socket = unsafe { OwnedFd::from_raw_fd(fd) };
        let request = Request {
            header: Header {
                len: size_of::<Request>() as u32,
                kind: SOCK_DIAG_BY_FAMILY,
                flags: NLM_F_REQUEST,
                seq: 1,
                pid: 0,
            },
            family: libc::AF_INET as u8,
            protocol: libc::IPPROTO_TCP as u8,
            ext: 0,
            pad: 0,
            states: !0,
            id: SockId {
                sport: local.port().to_be(),
                dport: remote.port().to_be(),
                src: be_addr(local),
                dst: be_addr(remote),
                interface: 0,
                cookie: [NO_COOKIE; 2],
            },
        };
        // The kernel's own address: nl_pid 0.
        // SAFETY: an all-zero `sockaddr_nl` is valid; the family is set below.
        let mut kernel: libc::sockaddr_nl = unsafe { std::mem::zeroed() };
        kernel.nl_family = libc::AF_NETLINK as libc::sa_family_t;
        // SAFETY: `request` and `kernel` are live, initialised, and their sizes are passed.
        let sent = unsafe {
            libc::sendto(
                socket.as_raw_fd(),
                (&raw const request).cast(),
                size_of::<Request>(),
                0,
                (&raw const kernel).cast(),
                size_of::<libc::sockaddr_nl>() as libc::socklen_t,
            )
        };
        if usize::try_from(sent).ok() != Some(size_of::<Request>()) {
            return None;
        }
        // The kernel answers an exact request while sending it, so the answer is already
        // queued: never wait for one (a kernel that answers nothing is "cannot say").
        // Plain bytes: `parse` reads every structure unaligned.
        let mut buffer = [0u8; 8192];
        // SAFETY: the buffer is live and its length is passed.
        let received = unsafe {
            libc::recv(
                socket.as_raw_fd(),
                buffer.as_mut_ptr().cast(),
                buffer.len(),
                libc::MSG_DONTWAIT,
            )
        };
        parse(buffer.get(..usize::try_from(received).ok()?)?)
    }

    /// The answer: the socket's inode, `Some(None)` for `ENOENT`, `None` for anything else.
    fn parse(bytes: &[u8]) -> Option<Option<u64>> {
        let header = read::<Header>(bytes, 0)?;
        let body = size_of::<Header>();
        match header.kind {
            SOCK_DIAG_BY_FAMILY => Some(Some(u64::from(read::<Answer>(bytes, body)?.inode))),
            NLMSG_ERROR => {
                let errno = read::<i32>(bytes, body)?;
                (errno == -libc::ENOENT).then_some(None)
            }
            _ => None,
        }
    }

    /// A `T` read from `bytes` at `offset`, when that many bytes are there.
    fn read<T: Copy>(bytes: &[u8], offset: usize) -> Option<T> {
        let end = offset.checked_add(size_of::<T>())?;
        let slice = bytes.get(offset..end)?;
        // SAFETY: `slice` holds `size_of::<T>()` bytes, and every `T` read here (plain integer
        // structs) is valid for any bytes; `read_unaligned` needs no alignment.
        Some(unsafe { std::ptr::read_unaligned(slice.as_ptr().cast::<T>()) })
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn the_kernel_structures_have_their_sizes() {
            // linux/netlink.h, linux/inet_diag.h
            assert_eq!(size_of::<Header>(), 16);
            assert_eq!(size_of::<SockId>(), 48);
            assert_eq!(size_of::<Request>(), 16 + 56);
            assert_eq!(size_of::<Answer>(), 72);
        }

        #[test]
        fn answers_are_read_without_trusting_their_length() {
            assert_eq!(parse(&[]), None);
            assert_eq!(parse(&[0; 15]), None);
            let mut error = vec![0u8; 20];
            error[4..6].copy_from_slice(&NLMSG_ERROR.to_ne_bytes());
            error[16..20].copy_from_slice(&(-libc::ENOENT).to_ne_bytes());
            assert_eq!(parse(&error), Some(None));
            error[16..20].copy_from_slice(&(-libc::EPERM).to_ne_bytes());
            assert_eq!(parse(&error), None);
            let mut answer = vec![0u8; 16 + 72];
            answer[4..6].copy_from_slice(&SOCK_DIAG_BY_FAMILY.to_ne_bytes());
            answer[16 + 68..].copy_from_slice(&4242u32.to_ne_bytes());
            assert_eq!(parse(&answer), Some(Some(4242)));
            assert_eq!(parse(&answer[..16 + 71]), None);
        }
    }
}
