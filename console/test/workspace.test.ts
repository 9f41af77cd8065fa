import { describe, expect, it, vi } from "vitest";

import { connectToWorkspace } from "../src/workspace/connect";
import { contactFromUrl } from "../src/workspace/standalone";
import { FakeProvider } from "./fakeProvider";

const event = (contactId: string, type = "voice") => ({
  contactId,
  initialContactId: undefined,
  type,
  subtype: "connect:Telephony",
});

describe("connectToWorkspace", () => {
  it("does not wait for a workspace when the page is not framed", async () => {
    const fake = new FakeProvider();
    const init = vi.fn(fake.init);
    expect(await connectToWorkspace({ init, framed: false })).toBeNull();
    expect(init).not.toHaveBeenCalled();
  });

  it("takes the contact of a per-contact launch from the create event and keeps it current", async () => {
    const fake = new FakeProvider();
    fake.answers["contact/getChannelType"] = { type: "voice", subtype: "connect:Telephony" };
    const connecting = connectToWorkspace({ init: fake.init, framed: true, timeoutMs: 1000 });
    expect(fake.appConfig?.workspace?.connectionTimeout).toBe(1000);
    await fake.create({ type: "contact", contactId: "c-1" });
    const source = await connecting;

    expect(source?.kind).toBe("workspace");
    expect(source?.current()).toMatchObject({ contactId: "c-1", phase: null });
    // The SDK's ContactClient subscribed, on the contact namespace, for this contact only.
    const keys = fake.subscriptions.map((s) => `${s.topic.namespace} ${s.topic.key} ${s.topic.parameter}`).sort();
    expect(keys).toEqual([
      "aws.connect.contact contact/acw c-1",
      "aws.connect.contact contact/cleared c-1",
      "aws.connect.contact contact/connected c-1",
      "aws.connect.contact contact/incoming c-1",
      "aws.connect.contact contact/missed c-1",
    ]);
    await vi.waitFor(() => expect(source?.current()?.channel).toBe("voice"));
    expect(fake.requests).toContainEqual({
      namespace: "aws.connect.contact",
      command: "contact/getChannelType",
      data: { contactId: "c-1" },
    });

    const seen: Array<string | null> = [];
    source!.subscribe((contact) => seen.push(contact ? `${contact.contactId}:${contact.phase}` : null));
    await fake.publish("contact/connected", "c-1", event("c-1"));
    await fake.publish("contact/acw", "c-1", event("c-1"));
    await fake.publish("contact/cleared", "c-1", event("c-1"));
    expect(seen).toEqual(["c-1:connected", "c-1:acw", "c-1:cleared"]);

    source!.close();
    expect(fake.subscriptions).toEqual([]);
  });

  it("follows the agent's contacts when opened idle (cross-contact)", async () => {
    const fake = new FakeProvider();
    const connecting = connectToWorkspace({ init: fake.init, framed: true });
    await fake.create({ type: "idle" });
    const source = (await connecting)!;
    expect(source.current()).toBeNull();
    expect(fake.subscriptions.every((s) => s.topic.parameter === undefined)).toBe(true);

    await fake.publish("contact/incoming", undefined, event("c-2", "chat"));
    expect(source.current()).toEqual({ contactId: "c-2", phase: "incoming", channel: "chat" });
    await fake.publish("contact/connected", undefined, event("c-2", "chat"));
    expect(source.current()?.phase).toBe("connected");
    // Another contact ending does not take the panel away from the current one…
    await fake.publish("contact/cleared", undefined, event("c-9"));
    expect(source.current()).toEqual({ contactId: "c-2", phase: "connected", channel: "chat" });
    // …a new contact connecting does.
    await fake.publish("contact/connected", undefined, event("c-3"));
    expect(source.current()).toEqual({ contactId: "c-3", phase: "connected", channel: "voice" });
  });

  it("goes standalone when the workspace never answers the handshake", async () => {
    const fake = new FakeProvider();
    const connecting = connectToWorkspace({ init: fake.init, framed: true, timeoutMs: 50 });
    fake.fail("workspaceConnectTimeout");
    expect(await connecting).toBeNull();
  });

  it("goes standalone when init itself throws", async () => {
    const init = () => {
      throw new Error("Attempted to initialize provider more than one time.");
    };
    expect(await connectToWorkspace({ init, framed: true, timeoutMs: 50 })).toBeNull();
  });
});

describe("standalone", () => {
  it("reads ?contact=ID", () => {
    expect(contactFromUrl("?contact=abc-123")).toBe("abc-123");
    expect(contactFromUrl(new URLSearchParams("lang=en&contact=%20c-2%20"))).toBe("c-2");
    expect(contactFromUrl("?contact=%20")).toBeNull();
    expect(contactFromUrl("")).toBeNull();
  });
});
