/** The trigger's events: what each is called, which action state fires it, and its bit in the seen state. */
import type { ActionState } from '../domain/action';
import { InputError } from '../domain/validation';

export type TriggerEvent = 'pendingAction' | 'actionActive' | 'actionCleared' | 'actionExpired';

/** Events in the order the UI lists them. */
export const TRIGGER_EVENTS: readonly TriggerEvent[] = [
	'pendingAction',
	'actionActive',
	'actionCleared',
	'actionExpired',
];

export const EVENT_LABELS: Record<TriggerEvent, string> = {
	pendingAction: 'New Pending Action',
	actionActive: 'Action Became Active',
	actionCleared: 'Action Cleared',
	actionExpired: 'Action Expired',
};

/** The event an action in each state fires. */
export const EVENT_OF_STATE: Record<ActionState, TriggerEvent> = {
	pending: 'pendingAction',
	active: 'actionActive',
	cleared: 'actionCleared',
	expired: 'actionExpired',
};

/** Each event's bit in the seen state (the format doc in seenState.ts relies on these values). */
export const EVENT_BIT: Record<TriggerEvent, number> = {
	pendingAction: 1,
	actionActive: 2,
	actionCleared: 4,
	actionExpired: 8,
};

/** Bits of several events. */
export function eventBits(events: Iterable<TriggerEvent>): number {
	let bits = 0;
	for (const event of events) bits |= EVENT_BIT[event];
	return bits;
}

function isTriggerEvent(value: unknown): value is TriggerEvent {
	return typeof value === 'string' && (TRIGGER_EVENTS as readonly string[]).includes(value);
}

/** The selected events (a multi-select, or a comma-separated string from an expression), in UI order. */
export function parseEvents(raw: unknown): TriggerEvent[] {
	const list: unknown[] = Array.isArray(raw)
		? raw
		: typeof raw === 'string'
			? raw.split(',').map((event) => event.trim())
			: [raw];
	const unknownEvent = list.find((event) => !isTriggerEvent(event));
	if (unknownEvent !== undefined) {
		throw new InputError(
			'Events',
			unknownEvent,
			`Use ${TRIGGER_EVENTS.join(', ')}.`,
			'is not an event of this trigger',
		);
	}
	const events = TRIGGER_EVENTS.filter((event) => list.includes(event));
	if (events.length === 0) {
		throw new InputError('Events', raw, 'Select at least one event, e.g. "New Pending Action".', 'selects nothing');
	}
	return events;
}
