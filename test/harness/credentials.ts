/** The test credential, and a credentials helper that calls the credential's `authenticate` as n8n's CLI does. */
import {
	ICredentialsHelper,
	type ICredentialDataDecryptedObject,
	type ICredentials,
	type ICredentialType,
	type IHttpRequestHelper,
	type IHttpRequestOptions,
	type INodeCredentialsDetails,
	type INodeProperties,
	type IRequestOptionsSimplified,
} from 'n8n-workflow';

import { DarktraceApi } from '../../credentials/DarktraceApi.credentials';
import { DARKTRACE_CREDENTIAL_TYPE } from '../../credentials/common/fields';

export type TestCredentials = ICredentialDataDecryptedObject & {
	url: string;
	publicToken: string;
	privateToken: string;
	ignoreSslIssues?: boolean;
	dateFormat?: string;
};

/** Calls the credential type's `authenticate` exactly as n8n's CredentialsHelper does. */
export class TestCredentialsHelper extends ICredentialsHelper {
	readonly credentialType: ICredentialType = new DarktraceApi();
	authenticateCalls = 0;
	/** Apply `authenticate` twice to every request, as n8n does to its own output on a 401 retry. */
	authenticateTwice = false;

	constructor(private credentials: TestCredentials) {
		super();
	}

	getParentTypes(): string[] {
		return [];
	}

	isCredentialUsableByNode(): boolean {
		return true;
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions | IRequestOptionsSimplified,
	): Promise<IHttpRequestOptions> {
		if (typeName !== DARKTRACE_CREDENTIAL_TYPE) throw new Error(`Unknown credential type ${typeName}`);
		this.authenticateCalls++;
		const authenticate = this.credentialType.authenticate;
		if (typeof authenticate !== 'function') throw new Error('darktraceApi.authenticate must be a function');
		const once = await authenticate.call(this.credentialType, credentials, requestOptions as IHttpRequestOptions);
		return this.authenticateTwice ? await authenticate.call(this.credentialType, credentials, once) : once;
	}

	async preAuthentication(
		_helpers: IHttpRequestHelper,
		_credentials: ICredentialDataDecryptedObject,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		return undefined;
	}

	async runPreAuthentication(): Promise<ICredentialDataDecryptedObject | undefined> {
		return undefined;
	}

	async getCredentials(_details: INodeCredentialsDetails, _type: string): Promise<ICredentials> {
		throw new Error('not used by the harness');
	}

	async getDecrypted(): Promise<ICredentialDataDecryptedObject> {
		return { ...this.credentials };
	}

	async updateCredentials(): Promise<void> {}

	async updateCredentialsOauthTokenData(): Promise<void> {}

	getCredentialsProperties(): INodeProperties[] {
		return this.credentialType.properties;
	}
}
