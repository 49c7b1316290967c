//! Who is on the other end of a loopback connection: the Runtime API serves only the handler
//! process it started (and that process's descendants), never another local process.
//!
//! Why peer credentials and not a secret: the Runtime API address is `host:port` to every
//! runtime (`lambda_runtime` refuses a path in `AWS_LAMBDA_RUNTIME_API`), a port can be found
//! by scanning, and a secret in the environment is readable by the same processes that could
//! be trusted anyway. Linux says which socket a TCP connection belongs to (its inode), and which
//! processes hold that socket (`/proc/<pid>/fd`): a connection is served only when a process of
//! the handler's tree holds the client end. The inode comes from one `sock_diag` netlink query
//! for the connection's four addresses (the kernel looks the one socket up, as `ss` does), or,
//! where that is refused, from `/proc/net/tcp`. That table lists every socket of the system,
//! the thousands a long check leaves in `TIME_WAIT` among them, so reading it for every
//! connection made each case slower than the one before (a 100,000-case check of the
//! calculator example took 199 s; 26 s with the netlink query). Where neither can be
//! read (not Linux), every loopback connection is served, as before.

use std::net::{SocketAddr, SocketAddrV4};

use super::{registry, sock_diag};

/// Whether the client end of the connection `peer` -> `server` is held by a process of the
/// process group `group` (or a descendant of one). `None`: the system cannot say.
pub(crate) fn held_by_group(peer: SocketAddr, server: SocketAddr, group: i32) -> Option<bool> {
    let (SocketAddr::V4(peer), SocketAddr::V4(server)) = (peer, server) else {
        return Some(false);
    };
    let Some(inode) = client_inode(peer, server)? else {
        return Some(false);
    };
    let wanted = format!("socket:[{inode}]");
    let holds = |pid: u32| {
        std::fs::read_dir(format!("/proc/{pid}/fd")).is_ok_and(|fds| {
            fds.flatten().any(|fd| {
                std::fs::read_link(fd.path()).is_ok_and(|link| link.as_os_str() == wanted.as_str())
            })
        })
    };
    // The group's leader (the handler process itself) first: the usual holder, found without
    // reading every process's `/proc/<pid>/stat` to build the tree.
    let leader = u32::try_from(group).ok();
    if leader.is_some_and(holds) {
        return Some(true);
    }
    Some(
        registry::tree_of(group)
            .into_iter()
            .filter(|pid| Some(*pid) != leader)
            .any(holds),
    )
}

/// The inode of the socket whose local end is `peer` and remote end `server`: `Some(None)`
/// when the system has no such socket, `None` when it cannot say.
fn client_inode(peer: SocketAddrV4, server: SocketAddrV4) -> Option<Option<u64>> {
    if let Some(found) = sock_diag::inode(peer, server) {
        return Some(found);
    }
    let table = std::fs::read_to_string("/proc/net/tcp").ok()?;
    Some(table_inode(&table, peer, server))
}

/// [`client_inode`] from the text of `/proc/net/tcp`.
fn table_inode(table: &str, peer: SocketAddrV4, server: SocketAddrV4) -> Option<u64> {
    let (local, remote) = (hex_addr(peer), hex_addr(server));
    table.lines().skip(1).find_map(|line| {
        let fields: Vec<&str> = line.split_whitespace().collect();
        (fields.get(1) == Some(&local.as_str()) && fields.get(2) == Some(&remote.as_str()))
            .then(|| fields.get(9)?.parse().ok())
            .flatten()
    })
}

/// An address as `/proc/net/tcp` writes it: the IPv4 address as a 32-bit number in host byte
/// order, then the port, in upper-case hex.
fn hex_addr(addr: SocketAddrV4) -> String {
    let ip = u32::from_ne_bytes(addr.ip().octets());
    format!("{ip:08X}:{:04X}", addr.port())
}

/// `127.0.0.1` as the table writes it (for tests).
#[cfg(test)]
fn loopback_hex() -> String {
    hex_addr(SocketAddrV4::new(std::net::Ipv4Addr::LOCALHOST, 0))[..8].to_owned()
}

#[cfg(test)]
mod tests {
    use std::net::Ipv4Addr;

    use super::*;

    #[test]
    fn table_lines_are_matched_by_both_ends() {
        let lo = loopback_hex();
        let table = format!(
            "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n   \
             0: {lo}:1F90 {lo}:0050 01 00000000:00000000 00:00000000 00000000  1000        0 111 1\n   \
             1: {lo}:0050 {lo}:1F90 01 00000000:00000000 00:00000000 00000000  1000        0 222 1\n"
        );
        let a = SocketAddrV4::new(Ipv4Addr::LOCALHOST, 0x1f90);
        let b = SocketAddrV4::new(Ipv4Addr::LOCALHOST, 0x50);
        assert_eq!(table_inode(&table, a, b), Some(111));
        assert_eq!(table_inode(&table, b, a), Some(222));
        assert_eq!(table_inode(&table, a, a), None);
    }

    #[test]
    fn a_connection_of_this_process_is_not_held_by_another_group() {
        let listener = std::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
        let client = std::net::TcpStream::connect(listener.local_addr().unwrap()).unwrap();
        let (_server_end, peer) = listener.accept().unwrap();
        assert_eq!(peer, client.local_addr().unwrap());
        let server = listener.local_addr().unwrap();
        // This test process's own group holds the client end; pid 1's group does not.
        // SAFETY: `getpgrp` only reads this process's group id.
        let own_group = unsafe { libc::getpgrp() };
        if held_by_group(peer, server, own_group).is_none() {
            return; // no /proc/net/tcp here
        }
        assert_eq!(held_by_group(peer, server, own_group), Some(true));
        // The netlink lookup, where the kernel answers it, finds the socket the table lists.
        let (SocketAddr::V4(peer4), SocketAddr::V4(server4)) = (peer, server) else {
            panic!("loopback v4");
        };
        if let Some(found) = sock_diag::inode(peer4, server4) {
            let table = std::fs::read_to_string("/proc/net/tcp").unwrap();
            assert_eq!(found, table_inode(&table, peer4, server4));
            assert!(found.is_some());
            let nobody = SocketAddrV4::new(Ipv4Addr::LOCALHOST, 1);
            assert_eq!(sock_diag::inode(nobody, server4), Some(None));
        }
        assert_eq!(held_by_group(peer, server, i32::MAX - 1), Some(false));
    }
}
