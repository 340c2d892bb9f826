/**
 * The normalised event types: a small, closed vocabulary across sources, so a hunt for
 * process starts or logons does not need to know Sysmon from Security from auditd.
 *
 *   process_start        a process was created (Sysmon 1, Security 4688)
 *   process_end          a process exited (Sysmon 5, Security 4689)
 *   process_access       a process opened another (Sysmon 10, e.g. lsass.exe access)
 *   remote_thread        a thread was created in another process (Sysmon 8)
 *   image_load           a DLL or image was loaded (Sysmon 7)
 *   driver_load          a driver was loaded (Sysmon 6)
 *   network_connection   a connection (Sysmon 3, Security 5156/5157/5152, Zeek conn)
 *   network_bind         a local port was bound or listened on (Security 5154/5158/5159)
 *   dns_query            a name was resolved (Sysmon 22, Zeek dns)
 *   file_create          a file was created or its time changed (Sysmon 11, 2, 15)
 *   file_delete          a file was deleted (Sysmon 23, 26, 28)
 *   file_access          a file or share object was accessed (Zeek smb_files)
 *   registry_event       a registry key or value changed (Sysmon 12-14, Security 4657)
 *   pipe_event           a named pipe was created or connected (Sysmon 17, 18)
 *   wmi_event            WMI filter/consumer activity (Sysmon 19-21, WMI-Activity)
 *   logon                an account logged on or tried to (Security 4624/4625, 4776,
 *                        auditd USER_LOGIN/USER_AUTH, sshd); `outcome` tells success/failure
 *   logoff               a session ended (Security 4634/4647, auditd USER_END)
 *   logon_explicit       explicit credentials were used (Security 4648, runas)
 *   privileged_logon     special privileges were assigned to a new logon (Security 4672)
 *   kerberos             a Kerberos ticket request (Security 4768/4769/4771, Zeek kerberos)
 *   ntlm                 an NTLM authentication (Zeek ntlm)
 *   account_change       a user or group was created, changed or deleted (Security 47xx)
 *   service_install      a service was installed (System 7045, Security 4697)
 *   scheduled_task       a scheduled task was created, changed or run (Security 4698-4702, TaskScheduler)
 *   powershell           PowerShell engine, pipeline, module or script block logging
 *   object_access        a handle to an object was requested or used (Security 4656/4658/4660/4663/4690)
 *   share_access         a network share was accessed (Security 5140/5145)
 *   log_cleared          an event log was cleared (Security 1102, System 104)
 *   http_request         an HTTP request (Zeek http)
 *   tls                  a TLS handshake (Zeek ssl)
 *   certificate          an X.509 certificate seen on the wire (Zeek x509)
 *   file_transfer        a file seen on the wire (Zeek files, pe)
 *   smb_mapping          an SMB tree connect (Zeek smb_mapping)
 *   rpc                  a DCE/RPC call (Zeek dce_rpc)
 *   rdp                  an RDP session (Zeek rdp, TerminalServices)
 *   ssh                  an SSH session (Zeek ssh)
 *   notice               a Zeek notice
 *   weird                a Zeek weird (protocol anomaly)
 *   syscall              an audited system call (auditd SYSCALL)
 *   execve               a program was executed (auditd EXECVE, AUOMS_EXECVE)
 *   other                anything else; the source's own fields tell the rest
 */
export const EVENT_TYPES = [
  'process_start', 'process_end', 'process_access', 'remote_thread', 'image_load', 'driver_load',
  'network_connection', 'network_bind', 'dns_query', 'file_create', 'file_delete', 'file_access',
  'registry_event', 'pipe_event', 'wmi_event', 'logon', 'logoff', 'logon_explicit', 'privileged_logon',
  'kerberos', 'ntlm', 'account_change', 'service_install', 'scheduled_task', 'powershell', 'object_access',
  'share_access', 'log_cleared', 'http_request', 'tls', 'certificate', 'file_transfer', 'smb_mapping', 'rpc',
  'rdp', 'ssh', 'notice', 'weird', 'syscall', 'execve', 'other',
] as const;

export type EventType = (typeof EVENT_TYPES)[number];
