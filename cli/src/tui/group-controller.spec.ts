// Groups in the TUI over real chat sessions: several people, each with the client core's
// ChatSession on one fake server that files group records as the real one does
// (client/src/test-support/group-world.ts), alice's and carol's chats drawn into arrays.

import type { ChatSession } from '@onionchat/client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { GroupWorld, type Device } from '../../../client/src/test-support/group-world.js';
import { OUT_OF_GROUP } from '../conversation-names.js';
import { TuiController } from './controller.js';
import { lineText, type Line } from './lines.js';
import { sessionActions } from './session-actions.js';

class ArrayScreen {
  lines: string[] = [];
  size() {
    return { width: 110, height: 32 };
  }
  draw(lines: Line[]) {
    this.lines = lines.map(lineText);
  }
  get text(): string {
    return this.lines.join('\n');
  }
}

const until = (check: () => void) => vi.waitFor(check, { timeout: 15_000, interval: 20 });

describe('groups in the TUI', () => {
  let world: GroupWorld;
  const controllers: TuiController[] = [];
  afterEach(() => {
    for (const controller of controllers.splice(0)) controller.stop();
    for (const device of world?.devices.values() ?? []) device.session.stop();
  });

  async function chatOf(device: Device) {
    await until(() => expect(device.session.getSnapshot().friends).not.toBeNull());
    const screen = new ArrayScreen();
    // The world's sessions move no files; the file cards only need to hear that.
    Object.assign(device.session.files, {
      subscribe: () => () => {},
      watchFile: () => () => {},
      upload: () => null,
      download: () => null,
      remoteStatus: () => 'unknown',
    });
    const chat = device.session as unknown as ChatSession;
    const controller = new TuiController({
      chat,
      user: { id: device.who.user.id, username: device.who.user.username },
      actions: sessionActions(chat),
      screen,
      onQuit: () => {},
    });
    controllers.push(controller);
    controller.start();
    return { screen, controller };
  }

  it('makes a group, shows who said what, lists the members, removes one and asks before leaving', async () => {
    world = new GroupWorld(['alice', 'bob', 'carol']);
    const [alice, bob, carol] = ['alice', 'bob', 'carol'].map((name) => world.device(name)) as [Device, Device, Device];
    const { screen, controller } = await chatOf(alice);

    await controller.submit('/group Hikers with bob, carol');
    await until(() => expect(screen.text).toMatch(/Hikers +Group · 3 members · you are an admin/));
    expect(screen.text).toContain('Made the group “Hikers” with bob and carol; you are its admin.');
    await until(() => expect(screen.text).toMatch(/ {5,}You created the group · /));
    expect(screen.text).toMatch(/▶ # Hikers|› # Hikers/);
    const roomId = controller.state.selectedRoomId!;
    expect(alice.view(roomId)?.group?.name).toBe('Hikers');

    await until(() => expect(bob.view(roomId)?.group?.title).toBe('Hikers'));
    bob.session.send(roomId, 'hello from bob');
    await until(() => expect(screen.text).toMatch(/│bob {2}\d+:\d\d[^\n]*\n[^\n]*│ {2}hello from bob/));

    // Alice's own message, once both members' devices have it.
    await controller.submit('hi both');
    await until(() => expect(screen.text).toMatch(/hi both *│?\n[^\n]*✓ Delivered to all 2/));

    await controller.submit('/members');
    expect(screen.text).toContain('Hikers: 3 members, you are an admin');
    expect(screen.text).toMatch(/alice \(you\) +admin +you/);
    expect(screen.text).toMatch(/bob +member +contact/);
    expect(screen.text).toMatch(/carol +member +contact/);
    controller.key({ name: 'escape' });

    await controller.submit('/kick carol');
    await until(() => expect(screen.text).toContain('You removed carol; a new key is in use'));
    expect(screen.text).toContain('Group · 2 members');
    await until(() => expect(carol.view(roomId)?.group?.gone).toBe(true));

    // Carol's chat says she is out, and sends nothing.
    const theirs = await chatOf(carol);
    await until(() => expect(theirs.screen.text).toMatch(/Hikers +Group · you are no longer in it/));
    await theirs.controller.submit('still here?');
    expect(theirs.screen.text).toContain(OUT_OF_GROUP.slice(0, 40));
    expect(world.group(roomId).messages.map((message) => message.senderId)).toEqual([
      bob.who.user.id,
      alice.who.user.id,
    ]);

    // Leaving asks first: no keeps her in; yes gets the core's refusal (the only admin) as a sentence.
    await controller.submit('/leave');
    expect(screen.lines.at(-1)).toMatch(/^Leave “Hikers”\? \(y\/N\) y and Enter: yes/);
    expect(screen.text).toContain('You will get none of its messages from now on');
    controller.key({ name: 'enter' });
    await until(() => expect(screen.text).toContain('You are still in “Hikers”.'));
    await controller.submit('/leave');
    for (const char of 'y') controller.key({ name: 'char', char });
    controller.key({ name: 'enter' });
    await until(() =>
      expect(screen.text).toContain('You are the group’s only admin: make someone else an admin before you leave.'),
    );
    expect(controller.state.prompt).toBeNull();
  }, 30_000);
});
