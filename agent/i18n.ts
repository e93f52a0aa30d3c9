/**
 * The agent's words for the customer, in German and English. Keys are stable; `{name}`
 * placeholders are filled by `translator()`. Script mode prints events, not these strings.
 */
const en = {
  title: 'RescueBox remote support',
  titleControlled: 'BEING CONTROLLED',
  howToQuit: 'This window stays open while you get help. To quit at any time: type /end, press Ctrl+C, or close the window. Nothing stays installed.',
  pinPrompt: 'PIN from your technician: ',
  startPrompt: 'PIN from your technician, or the start code from the support page: ',
  connecting: 'Connecting to {server} …',
  connected: 'Connected to the support server. Your technician: {name}',
  waiting: 'Waiting for your technician to connect …',
  ready: 'Security code: {sas} — your technician must see the same code.',
  rekeyed: 'Your technician reconnected. New security code: {sas} — compare it again.',
  peerLeft: 'Your technician\'s connection dropped. Waiting for them to come back …',
  reconnecting: 'Connection lost. Reconnecting …',
  reconnected: 'Connected again.',
  technician: 'Technician',
  help: 'Type a message and press Enter to chat. Commands: /send <path> sends a file, /stop-screen stops screen sharing, /stop-control stops remote control, /end ends the session, /help shows this.',
  unknownCommand: 'Unknown command {command}. Type /help for the list.',
  askDiagnostics: 'Your technician asks for a diagnostics report of this computer (system, hardware, disks, network, running programs).',
  askFileSend: 'Your technician wants to send you the file "{name}" ({size}).',
  askFileSendUnnamed: 'Your technician wants to send you a file.',
  askFileReceive: 'Your technician asks you for a file{hint}. Type the path of the file to send, or press Enter to refuse.',
  askFileReceiveHint: ' ("{name}")',
  allowYesNo: 'Allow? [y/N] ',
  acceptYesNo: 'Accept? [y/N] ',
  pathPrompt: 'Path (Enter = refuse): ',
  granted: 'Allowed.',
  denied: 'Refused.',
  refusedInvalidGrant: 'A request from your technician ({capability}) was refused automatically: the server did not authorize it ({reason}).',
  refusedUnavailable: 'Your technician asked for {capability}, which is not available here: {reason}',
  refusedTooLarge: 'Your technician wanted to send a file larger than allowed here (--max-file-mb); it was refused automatically.',
  screenNotYet: 'Screen sharing needs Linux with an X11 display here (Windows and macOS follow in a later version).',
  screenNotOnOs: 'Screen sharing is not available on {os} yet. Chat, files and diagnostics work.',
  screenWayland: 'This computer uses a Wayland desktop, where this program cannot show your screen yet. Chat, files and diagnostics work here. To show your screen, use your web browser instead: ask your technician for a new PIN, open {server} and choose "Get help in this browser".',
  screenWaylandShort: 'this computer uses a Wayland desktop; to show your screen, use your web browser instead (see the note at the start).',
  screenNoDisplay: 'no graphical desktop (X11 display) was found for this program.',
  askScreenView: 'Your technician asks to SEE your screen. Everything on it will be visible to them until you type /stop-screen.',
  askScreenControl: 'Your technician asks to CONTROL your mouse and keyboard. Moving your mouse or typing pauses them at once; /stop-control ends it.',
  screenViewing: 'Your screen is being shared with your technician. /stop-screen stops it.',
  screenViewStopped: 'Screen sharing stopped.',
  screenControl: 'YOUR TECHNICIAN IS NOW CONTROLLING YOUR MOUSE AND KEYBOARD. Move your mouse to pause; /stop-control to end.',
  screenControlPaused: 'You are using your computer: remote control is paused until you stop for a moment.',
  screenControlResumed: 'YOUR TECHNICIAN CONTROLS YOUR MOUSE AND KEYBOARD AGAIN. Move your mouse to pause; /stop-control to end.',
  screenControlStopped: 'Remote control ended.',
  screenUnavailable: 'Screen sharing could not start: {reason}',
  fileReceived: 'Saved "{name}" to {path} (SHA-256 checked).',
  fileNotSaved: 'The file "{name}" was not saved: {reason}.',
  fileSent: 'Sent "{name}".',
  fileSendFailed: 'Sending "{name}" failed: {reason}.',
  fileSendRefused: 'Your technician did not accept "{name}".',
  progressSend: 'Sending {name}: {percent}% ({done} of {total})',
  progressReceive: 'Receiving {name}: {percent}% ({done} of {total})',
  endedBy: 'The session was ended ({by}).',
  endedByYou: 'You ended the session.',
  alert: 'The connection was tampered with — the session was closed for your safety.',
  alertCode: 'Reason: {code}',
  confirmEnd: 'End the support session? [y/N] ',
  notEnded: 'The session continues.',
  errorPrefix: 'Error: {message}',
  pinRefused: 'The support server did not accept this PIN or link. {message}',
  cannotConnect: 'Cannot connect to the support server. {message}',
} as const;

export type MessageKey = keyof typeof en;

const de: Record<MessageKey, string> = {
  title: 'RescueBox Fernwartung',
  titleControlled: 'WIRD FERNGESTEUERT',
  howToQuit: 'Dieses Fenster bleibt offen, solange Sie Hilfe bekommen. Beenden jederzeit: /end eingeben, Strg+C drücken oder das Fenster schließen. Es bleibt nichts installiert.',
  pinPrompt: 'PIN von Ihrem Techniker: ',
  startPrompt: 'PIN von Ihrem Techniker oder Startcode von der Support-Seite: ',
  connecting: 'Verbinde mit {server} …',
  connected: 'Mit dem Support-Server verbunden. Ihr Techniker: {name}',
  waiting: 'Warte, bis sich Ihr Techniker verbindet …',
  ready: 'Sicherheitscode: {sas} — Ihr Techniker muss denselben Code sehen.',
  rekeyed: 'Ihr Techniker hat sich neu verbunden. Neuer Sicherheitscode: {sas} — bitte erneut vergleichen.',
  peerLeft: 'Die Verbindung Ihres Technikers ist unterbrochen. Warte auf seine Rückkehr …',
  reconnecting: 'Verbindung verloren. Verbinde neu …',
  reconnected: 'Wieder verbunden.',
  technician: 'Techniker',
  help: 'Nachricht eingeben und Enter drücken zum Chatten. Befehle: /send <Pfad> sendet eine Datei, /stop-screen beendet die Bildschirmfreigabe, /stop-control beendet die Fernsteuerung, /end beendet die Sitzung, /help zeigt diese Hilfe.',
  unknownCommand: 'Unbekannter Befehl {command}. /help zeigt die Liste.',
  askDiagnostics: 'Ihr Techniker bittet um einen Diagnosebericht dieses Computers (System, Hardware, Laufwerke, Netzwerk, laufende Programme).',
  askFileSend: 'Ihr Techniker möchte Ihnen die Datei „{name}“ ({size}) senden.',
  askFileSendUnnamed: 'Ihr Techniker möchte Ihnen eine Datei senden.',
  askFileReceive: 'Ihr Techniker bittet Sie um eine Datei{hint}. Geben Sie den Pfad der Datei ein, oder drücken Sie Enter zum Ablehnen.',
  askFileReceiveHint: ' („{name}“)',
  allowYesNo: 'Erlauben? [j/N] ',
  acceptYesNo: 'Annehmen? [j/N] ',
  pathPrompt: 'Pfad (Enter = ablehnen): ',
  granted: 'Erlaubt.',
  denied: 'Abgelehnt.',
  refusedInvalidGrant: 'Eine Anfrage Ihres Technikers ({capability}) wurde automatisch abgelehnt: Der Server hat sie nicht freigegeben ({reason}).',
  refusedUnavailable: 'Ihr Techniker hat {capability} angefragt; das ist hier nicht verfügbar: {reason}',
  refusedTooLarge: 'Ihr Techniker wollte eine Datei senden, die größer ist als hier erlaubt (--max-file-mb); sie wurde automatisch abgelehnt.',
  screenNotYet: 'Bildschirmfreigabe braucht hier Linux mit einer X11-Anzeige (Windows und macOS folgen in einer späteren Version).',
  screenNotOnOs: 'Bildschirmfreigabe ist unter {os} noch nicht verfügbar. Chat, Dateien und Diagnose funktionieren.',
  screenWayland: 'Dieser Computer nutzt einen Wayland-Desktop; dort kann dieses Programm Ihren Bildschirm noch nicht zeigen. Chat, Dateien und Diagnose funktionieren hier. Um Ihren Bildschirm zu zeigen, nutzen Sie stattdessen Ihren Webbrowser: Bitten Sie Ihren Techniker um eine neue PIN, öffnen Sie {server} und wählen Sie „Hilfe in diesem Browser“.',
  screenWaylandShort: 'dieser Computer nutzt einen Wayland-Desktop; um Ihren Bildschirm zu zeigen, nutzen Sie stattdessen Ihren Webbrowser (siehe Hinweis am Anfang).',
  screenNoDisplay: 'für dieses Programm wurde keine grafische Oberfläche (X11-Anzeige) gefunden.',
  askScreenView: 'Ihr Techniker möchte Ihren Bildschirm SEHEN. Alles darauf ist für ihn sichtbar, bis Sie /stop-screen eingeben.',
  askScreenControl: 'Ihr Techniker möchte Ihre Maus und Tastatur STEUERN. Wenn Sie die Maus bewegen oder tippen, wird er sofort angehalten; /stop-control beendet es.',
  screenViewing: 'Ihr Bildschirm wird mit Ihrem Techniker geteilt. /stop-screen beendet das.',
  screenViewStopped: 'Bildschirmfreigabe beendet.',
  screenControl: 'IHR TECHNIKER STEUERT JETZT IHRE MAUS UND TASTATUR. Maus bewegen hält ihn an; /stop-control beendet es.',
  screenControlPaused: 'Sie benutzen Ihren Computer: Die Fernsteuerung ist angehalten, bis Sie kurz innehalten.',
  screenControlResumed: 'IHR TECHNIKER STEUERT WIEDER IHRE MAUS UND TASTATUR. Maus bewegen hält ihn an; /stop-control beendet es.',
  screenControlStopped: 'Fernsteuerung beendet.',
  screenUnavailable: 'Bildschirmfreigabe konnte nicht starten: {reason}',
  fileReceived: '„{name}“ gespeichert unter {path} (SHA-256 geprüft).',
  fileNotSaved: 'Die Datei „{name}“ wurde nicht gespeichert: {reason}.',
  fileSent: '„{name}“ gesendet.',
  fileSendFailed: 'Senden von „{name}“ fehlgeschlagen: {reason}.',
  fileSendRefused: 'Ihr Techniker hat „{name}“ nicht angenommen.',
  progressSend: 'Sende {name}: {percent} % ({done} von {total})',
  progressReceive: 'Empfange {name}: {percent} % ({done} von {total})',
  endedBy: 'Die Sitzung wurde beendet ({by}).',
  endedByYou: 'Sie haben die Sitzung beendet.',
  alert: 'Die Verbindung wurde manipuliert — die Sitzung wurde zu Ihrer Sicherheit geschlossen.',
  alertCode: 'Grund: {code}',
  confirmEnd: 'Support-Sitzung beenden? [j/N] ',
  notEnded: 'Die Sitzung läuft weiter.',
  errorPrefix: 'Fehler: {message}',
  pinRefused: 'Der Support-Server hat diese PIN bzw. diesen Link nicht angenommen. {message}',
  cannotConnect: 'Keine Verbindung zum Support-Server möglich. {message}',
};

/** The languages the agent speaks. */
export type Lang = 'de' | 'en';
export const languages: readonly Lang[] = ['de', 'en'];

/** Looks up and fills a string. */
export type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

/** A translator for one language; unknown placeholders stay visible rather than vanish. */
export function translator(lang: Lang): Translate {
  const table: Record<MessageKey, string> = lang === 'de' ? de : en;
  return (key, vars = {}) => table[key].replace(/\{(\w+)\}/g, (all, name: string) => (name in vars ? String(vars[name]) : all));
}

/** The language from the environment (LC_ALL, LC_MESSAGES, LANG): German if it says so, else English. */
export function detectLang(env: NodeJS.ProcessEnv): Lang {
  const value = env.LC_ALL || env.LC_MESSAGES || env.LANG || '';
  return /^de([_.-]|$)/i.test(value) ? 'de' : 'en';
}

/** A human size: 1.5 MB / 1,5 MB. */
export function formatBytes(bytes: number, lang: Lang): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1;
  return `${value.toLocaleString(lang === 'de' ? 'de-DE' : 'en-US', { maximumFractionDigits: digits })} ${units[unit]}`;
}
