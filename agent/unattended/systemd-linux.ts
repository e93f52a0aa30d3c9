import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ExitCode } from '../exit-codes.js';

/** The unit's name, and where Debian keeps local units and PAM services. */
export const UNIT_NAME = 'rescuebox-agent.service';
export const DEFAULT_UNIT_DIR = '/etc/systemd/system';
export const PAM_SERVICE = 'rescuebox-unattended';
const PAM_DIR = '/etc/pam.d';
const INSTALL_DIR = '/opt/rescuebox-agent';

/** Where the service runs from: node and the agent bundle, or one single-file executable. */
export interface ServiceProgram {
  /** Absolute command line that starts the agent (without the `service` arguments). */
  command: string[];
  stateDir: string;
}

/** Quotes one argument for systemd's ExecStart (its own rules: double quotes, backslash escapes). */
function unitArg(arg: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(arg) ? arg : `"${arg.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/**
 * The systemd unit of the unattended service: started at boot, restarted after a crash, but
 * not after exit 7 (access revoked or expired: the device removed itself). It runs as root
 * because checking another account's password through PAM (pam_unix) needs it; the rest of
 * the system is read-only for it apart from its state directory and the unit it may remove.
 */
export function systemdUnit(program: ServiceProgram, unitDir = DEFAULT_UNIT_DIR): string {
  const exec = [...program.command, 'service', '--state-dir', program.stateDir].map(unitArg).join(' ');
  return `[Unit]
Description=RescueBox unattended access (enrolled device; revoke with: rescuebox-agent revoke)
After=network-online.target
Wants=network-online.target

[Service]
Type=simple
ExecStart=${exec}
Restart=on-failure
RestartSec=10
RestartPreventExitStatus=${ExitCode.deviceGone}
UMask=0077
NoNewPrivileges=yes
PrivateTmp=yes
ProtectSystem=strict
ProtectHome=read-only
ReadWritePaths=${unitArg(program.stateDir)} ${unitArg(unitDir)}

[Install]
WantedBy=multi-user.target
`;
}

/** The PAM service the device credentials are checked against: the system's normal password stack. */
export function pamServiceFile(): string {
  return '# RescueBox unattended access: a technician presents this computer\'s own credentials.\n@include common-auth\n@include common-account\n';
}

/** Runs systemctl with arguments; throws when it fails. */
function systemctl(...args: string[]): void {
  execFileSync('systemctl', args, { stdio: 'ignore' });
}

/**
 * Installs the service on this computer (root): copies the program to /opt/rescuebox-agent,
 * writes the PAM service (unless present) and the unit, then enables and starts it.
 */
export function installService(program: { source: string; node: string | null }, stateDir: string, unitDir = DEFAULT_UNIT_DIR): string {
  mkdirSync(INSTALL_DIR, { recursive: true, mode: 0o755 });
  const target = join(INSTALL_DIR, program.node ? 'rescuebox-agent.mjs' : 'rescuebox-agent');
  copyFileSync(program.source, target);
  chmodSync(target, 0o755);
  const pamFile = join(PAM_DIR, PAM_SERVICE);
  if (!existsSync(pamFile)) writeFileSync(pamFile, pamServiceFile(), { mode: 0o644 });
  const unitFile = join(unitDir, UNIT_NAME);
  writeFileSync(unitFile, systemdUnit({ command: program.node ? [program.node, target] : [target], stateDir }, unitDir), { mode: 0o644 });
  systemctl('daemon-reload');
  systemctl('enable', '--now', UNIT_NAME);
  return unitFile;
}

/**
 * Removes the service (revoke, expiry). `stopNow` stops it too (from the revoke command; the
 * service removing itself just exits). systemd is asked only about a unit in the directory it
 * reads (a unit elsewhere was never known to it); the unit file goes in any case.
 */
export function uninstallService(unitDir = DEFAULT_UNIT_DIR, stopNow = true): boolean {
  const unitFile = join(unitDir, UNIT_NAME);
  if (!existsSync(unitFile)) return false;
  const known = resolve(unitDir) === DEFAULT_UNIT_DIR;
  try {
    if (known) systemctl('disable', ...(stopNow ? ['--now'] : []), UNIT_NAME);
  } catch {
    // Removing the unit below still keeps systemd from starting it again after the next reload.
  }
  rmSync(unitFile, { force: true });
  try {
    if (known) systemctl('daemon-reload');
  } catch {
    // systemd forgets the unit at its next reload anyway.
  }
  return true;
}
