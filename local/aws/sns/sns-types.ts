/**
 * The event Lambda hands a function subscribed to an SNS topic, as the `aws-lambda` type package
 * describes it, without depending on that package: the local SNS builds exactly this, so a
 * subscriber handler written against it runs unchanged in AWS and locally.
 */

/** A message attribute as Lambda shows it: binary values base64-encoded, arrays as their JSON text. */
export interface SNSMessageAttribute {
  Type: string;
  Value: string;
}

/** The notification itself. */
export interface SNSMessage {
  Type: 'Notification';
  MessageId: string;
  TopicArn: string;
  /** `null` when the publisher gave none, as in real events. */
  Subject: string | null;
  Message: string;
  /** ISO 8601 with milliseconds. */
  Timestamp: string;
  SignatureVersion: string;
  Signature: string;
  SigningCertUrl: string;
  UnsubscribeUrl: string;
  MessageAttributes: Record<string, SNSMessageAttribute>;
}

/** One delivery of one message to one subscription. */
export interface SNSEventRecord {
  EventSource: 'aws:sns';
  EventVersion: '1.0';
  EventSubscriptionArn: string;
  Sns: SNSMessage;
}

/** What a subscriber function receives: SNS invokes Lambda with exactly one record. */
export interface SNSEvent {
  Records: SNSEventRecord[];
}
