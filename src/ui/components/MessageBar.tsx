/** Errors, warnings and notices from the worker, with the recovery actions it offers. */
import type { RecoveryOffer } from '../../worker/protocol';
import type { LabMessage } from '../training/use-lab';

interface MessageBarProps {
  messages: readonly LabMessage[];
  onDismiss(id: number): void;
  onOffer(offer: RecoveryOffer): void;
}

function offerLabel(offer: RecoveryOffer): string {
  if (offer.kind === 'switch-backend') return `Use ${offer.backend} instead`;
  if (offer.kind === 'resume-from-checkpoint') return 'Resume from the last checkpoint';
  return 'Delete old checkpoints';
}

export function MessageBar({ messages, onDismiss, onOffer }: MessageBarProps) {
  if (messages.length === 0) return null;
  return (
    <div className="message-bar" role="log" aria-live="polite" aria-label="Messages">
      {messages.map((message) => (
        <div key={message.id} className={`message ${message.level}`} role={message.level === 'error' ? 'alert' : undefined}>
          <span className="message-text">{message.text}</span>
          {message.offers?.map((offer, i) => (
            <button key={i} type="button" className="button small" onClick={() => onOffer(offer)} title={offer.kind === 'switch-backend' ? offer.warning : undefined}>
              {offerLabel(offer)}
            </button>
          ))}
          <button type="button" className="link-button" aria-label="Dismiss message" onClick={() => onDismiss(message.id)}>
            ✕
          </button>
        </div>
      ))}
    </div>
  );
}
