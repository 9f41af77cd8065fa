/**
 * A fake of the Amazon Connect SDK's provider: what `AmazonConnectApp.init` returns, minus the workspace.
 * The SDK's real `ContactClient` runs on it, so the tests see exactly the topics and requests the adapter
 * makes, and can publish the workspace's events back.
 */
import type { AmazonConnectAppConfig, AppCreateEvent } from "@amazon-connect/app";

type Topic = { namespace: string; key: string; parameter?: string };
type Handler = (data: unknown) => Promise<void> | void;
type ErrorHandler = (error: { key: string; isFatal: boolean; message: string }) => void;

export class FakeProvider {
  readonly id = "fake-provider";
  readonly config: Record<string, unknown> = {};
  readonly subscriptions: Array<{ topic: Topic; handler: Handler }> = [];
  readonly requests: Array<{ namespace: string; command: string; data: unknown }> = [];
  readonly errorHandlers = new Set<ErrorHandler>();
  answers: Record<string, unknown> = {};
  appConfig: AmazonConnectAppConfig | null = null;

  private readonly proxy = {
    connectionStatus: "ready",
    proxyType: "FakeProxy",
    request: async (namespace: string, command: string, data: unknown) => {
      this.requests.push({ namespace, command, data });
      if (command in this.answers) return this.answers[command];
      throw new Error(`no answer for ${command}`);
    },
    subscribe: (topic: Topic, handler: Handler) => {
      this.subscriptions.push({ topic, handler });
    },
    unsubscribe: (topic: Topic, handler: Handler) => {
      const index = this.subscriptions.findIndex(
        (s) =>
          s.handler === handler &&
          s.topic.key === topic.key &&
          s.topic.namespace === topic.namespace &&
          s.topic.parameter === topic.parameter,
      );
      if (index >= 0) this.subscriptions.splice(index, 1);
    },
    onConnectionStatusChange: () => undefined,
    offConnectionStatusChange: () => undefined,
  };

  getProxy() {
    return this.proxy;
  }

  onError(handler: ErrorHandler) {
    this.errorHandlers.add(handler);
  }

  offError(handler: ErrorHandler) {
    this.errorHandlers.delete(handler);
  }

  /** `AmazonConnectApp.init`'s stand-in. */
  init = (config: AmazonConnectAppConfig) => {
    this.appConfig = config;
    return { provider: this as never };
  };

  /** The workspace's create event, with the scope it launched the app in. */
  async create(scope: { type: "contact"; contactId: string } | { type: "idle" }) {
    const event = { stage: "create", context: { scope, instanceId: "instance-1" } } as unknown as AppCreateEvent;
    await this.appConfig!.onCreate(event);
  }

  /** The workspace publishes a contact event on `key` for `parameter` (undefined: unscoped subscribers). */
  async publish(key: string, parameter: string | undefined, data: unknown) {
    const matching = this.subscriptions.filter(
      (s) => s.topic.namespace === "aws.connect.contact" && s.topic.key === key && s.topic.parameter === parameter,
    );
    for (const s of matching) await s.handler(data);
    return matching.length;
  }

  fail(key: string, isFatal = true) {
    for (const handler of this.errorHandlers) handler({ key, isFatal, message: key });
  }
}
