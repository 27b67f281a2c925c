// The parts of the `xmlrpc` package's own parser and serializer that the XML-RPC
// transport uses directly (it keeps them and replaces only the HTTP layer).

declare module 'xmlrpc/lib/deserializer.js' {
  interface SaxStream {
    write(data: string): void;
    end(): void;
  }
  interface MethodResponseSource {
    setEncoding(encoding: string): void;
    on(event: string, listener: (...args: unknown[]) => void): void;
    pipe(destination: unknown): void;
  }
  class Deserializer {
    constructor(encoding?: string);
    parser: SaxStream;
    stack: unknown[];
    marks: number[];
    data: string[];
    value: boolean;
    deserializeMethodResponse(stream: MethodResponseSource, callback: (error: unknown, value?: unknown) => void): void;
    onOpentag(node: { name: string }): void;
    onText(text: string): void;
    onCDATA(text: string): void;
    endStruct(data: string): void;
    endDateTime(data: string): void;
  }
  export default Deserializer;
}

declare module 'xmlrpc/lib/serializer.js' {
  export function serializeMethodCall(method: string, params: unknown[], encoding?: string): string;
  export function serializeMethodResponse(result: unknown): string;
}
